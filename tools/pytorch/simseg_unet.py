#!/usr/bin/python3
"""SimSeg's plain U-Net in PyTorch, and SimSeg's safetensors checkpoints read and written without the
safetensors package (PyTorch 1.13 has none).

The network is src/SimSeg.Neural/Models/UNet.cs, with the module names of the reference benchmark
(torch_unet_bench.py), so the state_dict keys are SimSeg's parameter names: enc.i.{0,3}.weight (3x3 convs,
no bias), enc.i.{1,4}.* (batch norms), up.i.* (2x2 stride-2 transposed convs), dec.i.* (as enc), head.*
(1x1 conv). The width c, the depth and the channel counts are read from the checkpoint's shapes.

Commands (run with Debian's interpreter, /usr/bin/python3, which sees python3-torch):

  run CHECKPOINT INPUT.npy [--output OUT.npy] [--compare EXPECTED.npy] [--tolerance 1e-4]
      eval-mode forward of a float32 N x C x H x W input; writes and/or compares the logits.
  export CHECKPOINT --channels 8 --depth 2 [--in-channels 1] [--out-channels 1] [--seed 0]
      a PyTorch-initialised U-Net, with batch-norm statistics moved by two training-mode forwards,
      saved as a SimSeg checkpoint (every tensor float32).

Exit codes: 0 success (outputs agree), 1 outputs differ, 2 invalid arguments, 3 unreadable or
mismatched file, 4 PyTorch or numpy not importable.
"""
import argparse
import json
import struct
import sys

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as error:  # the C# parity test skips on exit code 4
    print(f"simseg_unet: PyTorch and numpy are needed ({error}); on Debian: apt-get install python3-torch", file=sys.stderr)
    sys.exit(4)

# safetensors dtype names -> little-endian numpy dtypes
DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


class CheckpointError(Exception):
    """A file that is not a readable SimSeg checkpoint, or one that does not fit the network."""


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """The plain U-Net of SimSeg.Neural.Models.UNet: channels c, 2c, ..., 2^depth c."""

    def __init__(self, in_channels=1, out_channels=1, c=16, depth=4):
        super().__init__()
        ch = [c * 2 ** i for i in range(depth + 1)]
        self.enc = nn.ModuleList([block(in_channels if i == 0 else ch[i - 1], ch[i]) for i in range(depth + 1)])
        self.up = nn.ModuleList([nn.ConvTranspose2d(ch[i + 1], ch[i], 2, stride=2) for i in range(depth)])
        self.dec = nn.ModuleList([block(ch[i] * 2, ch[i]) for i in range(depth)])
        self.head = nn.Conv2d(ch[0], out_channels, 1)

    def forward(self, x):
        skips = []
        for i, stage in enumerate(self.enc):
            x = stage(x)
            if i < len(self.enc) - 1:
                skips.append(x)
                x = nn.functional.max_pool2d(x, 2)
        for i in reversed(range(len(self.up))):
            x = self.dec[i](torch.cat([self.up[i](x), skips[i]], 1))
        return self.head(x)


def read_safetensors(path):
    """Returns ({name: numpy array}, metadata dict) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise CheckpointError(f"{path}: not a safetensors file (shorter than its 8-byte header length)")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length > len(data) - 8:
        raise CheckpointError(f"{path}: header length {header_length} exceeds the file ({len(data)} bytes)")
    try:
        header = json.loads(data[8:8 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(f"{path}: not a valid safetensors header ({error})") from error
    start = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = DTYPES.get(entry.get("dtype"))
        if dtype is None:
            raise CheckpointError(f"{path}: tensor '{name}' has unsupported dtype {entry.get('dtype')}")
        shape = tuple(entry["shape"])
        begin, end = entry["data_offsets"]
        count = int(np.prod(shape, dtype=np.int64))
        if end - begin != count * np.dtype(dtype).itemsize or begin < 0 or start + end > len(data):
            raise CheckpointError(f"{path}: tensor '{name}' has offsets [{begin}, {end}] that do not fit its shape {list(shape)}")
        tensors[name] = np.frombuffer(data, dtype=dtype, count=count, offset=start + begin).reshape(shape).copy()
    return tensors, header.get("__metadata__", {})


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: array} as float32 safetensors in name order, header padded to 8 bytes as SimSeg does."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        array = np.array(tensors[name], dtype="<f4", order="C")  # keeps rank 0 (ascontiguousarray would not)
        blob = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def architecture(tensors):
    """(in_channels, out_channels, c, depth) from the shapes of a U-Net checkpoint."""
    try:
        first, head = tensors["enc.0.0.weight"], tensors["head.weight"]
    except KeyError as missing:
        raise CheckpointError(f"not a U-Net checkpoint: no tensor {missing}") from None
    depth = sum(1 for name in tensors if name.startswith("up.") and name.endswith(".weight"))
    return first.shape[1], head.shape[0], first.shape[0], depth


def load_unet(path):
    """The U-Net of a SimSeg checkpoint, in eval mode; every tensor must match (strict)."""
    tensors, _ = read_safetensors(path)
    in_channels, out_channels, c, depth = architecture(tensors)
    model = UNet(in_channels, out_channels, c, depth)
    state = model.state_dict()
    if set(state) != set(tensors):
        raise CheckpointError(f"{path}: tensors differ from a U-Net(c={c}, depth={depth}): "
                              f"missing {sorted(set(state) - set(tensors))[:5]}, unexpected {sorted(set(tensors) - set(state))[:5]}")
    for name, value in state.items():
        if tuple(value.shape) != tensors[name].shape:
            raise CheckpointError(f"{path}: tensor '{name}' has shape {list(tensors[name].shape)}; the network needs {list(value.shape)}")
    # copy_ converts dtypes (num_batches_tracked is int64 in PyTorch, float32 in SimSeg files).
    model.load_state_dict({name: torch.from_numpy(tensors[name]).to(value.dtype) for name, value in state.items()})
    return model.eval()


def run(args):
    model = load_unet(args.checkpoint)
    x = np.load(args.input)
    if x.ndim != 4 or x.shape[1] != model.enc[0][0].in_channels:
        raise CheckpointError(f"{args.input}: input has shape {list(x.shape)}; the network needs N x {model.enc[0][0].in_channels} x H x W")
    with torch.no_grad():
        y = model(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).numpy()
    if args.output:
        np.save(args.output, y)
    if args.compare:
        expected = np.load(args.compare)
        if expected.shape != y.shape:
            print(f"shape differs: expected {list(expected.shape)}, PyTorch {list(y.shape)}", file=sys.stderr)
            return 1
        difference = float(np.max(np.abs(expected.astype(np.float64) - y)))
        print(json.dumps({"max_abs_difference": difference, "tolerance": args.tolerance, "shape": list(y.shape)}))
        return 0 if difference <= args.tolerance else 1
    return 0


def export(args):
    torch.manual_seed(args.seed)
    model = UNet(args.in_channels, args.out_channels, args.channels, args.depth)
    side = 2 ** args.depth * 4
    model.train()
    with torch.no_grad():
        for _ in range(2):  # moves the batch-norm running statistics away from 0 and 1
            model(torch.randn(2, args.in_channels, side, side) * 2 + 0.5)
    state = {name: value.detach().numpy() for name, value in model.state_dict().items()}
    write_safetensors(args.checkpoint, state, {"arch": "unet", "source": f"pytorch {torch.__version__}"})
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--threads", type=int, default=1, help="PyTorch CPU threads (default 1)")
    commands = parser.add_subparsers(dest="command", required=True)
    r = commands.add_parser("run", help="eval-mode forward of a checkpoint on an .npy input")
    r.add_argument("checkpoint")
    r.add_argument("input", help="float32 N x C x H x W .npy")
    r.add_argument("--output", help="write the logits here (.npy)")
    r.add_argument("--compare", help="expected logits (.npy); exit 1 when the max abs difference exceeds --tolerance")
    r.add_argument("--tolerance", type=float, default=1e-4)
    e = commands.add_parser("export", help="save a PyTorch-initialised U-Net as a SimSeg checkpoint")
    e.add_argument("checkpoint")
    e.add_argument("--in-channels", type=int, default=1)
    e.add_argument("--out-channels", type=int, default=1)
    e.add_argument("--channels", type=int, default=16)
    e.add_argument("--depth", type=int, default=4)
    e.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    try:
        return run(args) if args.command == "run" else export(args)
    except (CheckpointError, OSError, ValueError) as error:
        print(f"simseg_unet: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
