"""PyTorch reference for EncoderUNetTests: the U-Net of segmentation_models_pytorch on torchvision's ResNet and VGG and
on efficientnet-pytorch's EfficientNet, written with torch.nn only (no torchvision, timm or smp needed).

    python3 encoder_unet_reference.py          # parameter counts, then golden outputs for the C# test

Prints, per architecture with one input channel and one logit: the trainable parameter count of the model and of its
encoder, and the eval-mode output of a 1x1x64x64 input when every tensor of the state_dict is filled by `fill` (the
same formula as EncoderUNetTests.FillDeterministic, in state_dict order)."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inp, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inp, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.relu(self.bn3(self.conv3(out)) + identity)


class ResNet(nn.Module):
    """torchvision.models.ResNet without avgpool and fc (as smp's ResNetEncoder)."""

    def __init__(self, block, layers, in_channels):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make(block, 64, layers[0])
        self.layer2 = self._make(block, 128, layers[1], 2)
        self.layer3 = self._make(block, 256, layers[2], 2)
        self.layer4 = self._make(block, 512, layers[3], 2)

    def _make(self, block, planes, n, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, n)]
        return nn.Sequential(*layers)

    def features(self, x):
        f = [self.relu(self.bn1(self.conv1(x)))]
        f.append(self.layer1(self.maxpool(f[-1])))
        for layer in (self.layer2, self.layer3, self.layer4):
            f.append(layer(f[-1]))
        return f


class Vgg16(nn.Module):
    """torchvision.models.vgg16_bn(...).features, cut at the max pools as smp's VGGEncoder."""

    def __init__(self, in_channels):
        super().__init__()
        layers, c = [], in_channels
        for v in [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M']:
            if v == 'M':
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(c, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
                c = v
        self.features = nn.Sequential(*layers)

    def features_list(self, x):
        stages, current, pools = [], [], 0
        for m in self.features:
            if isinstance(m, nn.MaxPool2d):
                if pools > 0:
                    stages.append(current)
                    current = []
                pools += 1
            current.append(m)
        stages.append(current)
        f = []
        for stage in stages:
            for m in stage:
                x = m(x)
            f.append(x)
        return f


def round_filters(filters, width):
    filters *= width
    new = max(8, int(filters + 4) // 8 * 8)
    return int(new + 8 if new < 0.9 * filters else new)


# repeats, kernel, stride, expand, in, out (EfficientNet-B0)
BASE = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
        (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320)]
COEFFICIENTS = {0: (1.0, 1.0), 1: (1.0, 1.1), 2: (1.1, 1.2), 3: (1.2, 1.4)}
CUTS = {0: (3, 5, 9, 16), 1: (5, 8, 16, 23), 2: (5, 8, 16, 23), 3: (5, 8, 18, 26)}


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


class MBConv(nn.Module):
    """efficientnet-pytorch's MBConvBlock with symmetric padding and without drop-connect."""

    def __init__(self, inp, out, k, stride, expand):
        super().__init__()
        hidden = inp * expand
        self.expand, self.skip = expand, stride == 1 and inp == out
        if expand != 1:
            self._expand_conv = nn.Conv2d(inp, hidden, 1, bias=False)
            self._bn0 = bn(hidden)
        self._depthwise_conv = nn.Conv2d(hidden, hidden, k, stride, k // 2, groups=hidden, bias=False)
        self._bn1 = bn(hidden)
        squeeze = max(1, int(inp * 0.25))
        self._se_reduce = nn.Conv2d(hidden, squeeze, 1)
        self._se_expand = nn.Conv2d(squeeze, hidden, 1)
        self._project_conv = nn.Conv2d(hidden, out, 1, bias=False)
        self._bn2 = bn(out)

    def forward(self, x):
        y = F.silu(self._bn0(self._expand_conv(x))) if self.expand != 1 else x
        y = F.silu(self._bn1(self._depthwise_conv(y)))
        gate = torch.sigmoid(self._se_expand(F.silu(self._se_reduce(y.mean((2, 3), keepdim=True)))))
        y = self._bn2(self._project_conv(y * gate))
        return y + x if self.skip else y


class EfficientNet(nn.Module):
    """efficientnet-pytorch's EfficientNet without _conv_head, _bn1 and _fc (unused by smp's Unet)."""

    def __init__(self, variant, in_channels):
        super().__init__()
        width, depth = COEFFICIENTS[variant]
        self.cuts = CUTS[variant]
        stem = round_filters(32, width)
        self._conv_stem = nn.Conv2d(in_channels, stem, 3, 2, 1, bias=False)
        self._bn0 = bn(stem)
        blocks = []
        for r, k, s, e, i, o in BASE:
            i, o, r = round_filters(i, width), round_filters(o, width), int(math.ceil(depth * r))
            blocks.append(MBConv(i, o, k, s, e))
            blocks += [MBConv(o, o, k, 1, e) for _ in range(r - 1)]
        self._blocks = nn.ModuleList(blocks)

    def features_list(self, x):
        x = F.silu(self._bn0(self._conv_stem(x)))
        f, start = [x], 0
        for end in self.cuts:
            for block in self._blocks[start:end]:
                x = block(x)
            f.append(x)
            start = end
        return f


def conv_bn_relu(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class DecoderBlock(nn.Module):
    def __init__(self, inp, skip, out):
        super().__init__()
        self.conv1 = conv_bn_relu(inp + skip, out)
        self.conv2 = conv_bn_relu(out, out)


class Decoder(nn.Module):
    def __init__(self, encoder_channels, channels):
        super().__init__()
        deep = list(encoder_channels)[::-1]
        ins, skips = [deep[0]] + list(channels[:-1]), deep[1:] + [0]
        self.blocks = nn.ModuleList([DecoderBlock(i, s, o) for i, s, o in zip(ins, skips, channels)])


class Unet(nn.Module):
    """smp.Unet's modules and forward (attention and center omitted: smp's defaults are none)."""

    def __init__(self, encoder, encoder_channels, classes=1, decoder_channels=(256, 128, 64, 32, 16)):
        super().__init__()
        self.encoder = encoder
        self.decoder = Decoder(encoder_channels, decoder_channels)
        self.segmentation_head = nn.Sequential(nn.Conv2d(decoder_channels[-1], classes, 3, padding=1))

    def forward(self, x):
        e = self.encoder
        f = (e.features(x) if isinstance(e, ResNet) else e.features_list(x))[::-1]
        y = f[0]
        for i, block in enumerate(self.decoder.blocks):
            y = F.interpolate(y, scale_factor=2, mode='nearest')
            if i < len(f) - 1:
                y = torch.cat([y, f[i + 1]], 1)
            y = block.conv2(block.conv1(y))
        return self.segmentation_head(y)


EFFICIENTNET_FEATURES = {0: (32, 24, 40, 112, 320), 1: (32, 24, 40, 112, 320), 2: (32, 24, 48, 120, 352), 3: (40, 32, 48, 136, 384)}


def build(arch, in_channels=1):
    if arch == 'unet-resnet18':
        return Unet(ResNet(BasicBlock, [2, 2, 2, 2], in_channels), (64, 64, 128, 256, 512))
    if arch == 'unet-resnet34':
        return Unet(ResNet(BasicBlock, [3, 4, 6, 3], in_channels), (64, 64, 128, 256, 512))
    if arch == 'unet-resnet50':
        return Unet(ResNet(Bottleneck, [3, 4, 6, 3], in_channels), (64, 256, 512, 1024, 2048))
    if arch == 'unet-vgg16':
        return Unet(Vgg16(in_channels), (128, 256, 512, 512, 512))
    v = int(arch[-1])
    return Unet(EfficientNet(v, in_channels), EFFICIENTNET_FEATURES[v])


def fill(model):
    """Tensor k of the state_dict, element i: weights (rank 4) sqrt(3/fan_in)·sin(0.731·i + 1.37·k); batch-norm
    weights 1 + 0.2·sin(…); biases and running means 0.1·sin(…); running variances 1 + 0.5·|sin(…)|; counts 0."""
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            i = torch.arange(t.numel(), dtype=torch.float64)
            s = torch.sin(0.731 * i + 1.37 * k)
            if name.endswith('num_batches_tracked'):
                v = torch.zeros_like(s)
            elif t.dim() == 4:
                v = math.sqrt(3.0 / (t.shape[1] * t.shape[2] * t.shape[3])) * s
            elif name.endswith('running_var'):
                v = 1 + 0.5 * s.abs()
            elif name.endswith('weight'):
                v = 1 + 0.2 * s
            else:
                v = 0.1 * s
            t.copy_(v.view(t.shape).to(t.dtype))


def golden_input():
    i = torch.arange(64 * 64, dtype=torch.float64)
    return (torch.sin(0.05 * i) + 0.5 * torch.cos(0.0137 * i * i / 64)).float().view(1, 1, 64, 64)


GOLDEN_INDICES = [0, 1, 63, 64, 1000, 2080, 3001, 4095]

if __name__ == '__main__':
    torch.set_num_threads(1)
    for arch in ['unet-resnet18', 'unet-resnet34', 'unet-resnet50', 'unet-vgg16'] + [f'unet-efficientnet-b{v}' for v in range(4)]:
        model = build(arch)
        total = sum(p.numel() for p in model.parameters())
        encoder = sum(p.numel() for p in model.encoder.parameters())
        fill(model)
        model.eval()
        with torch.no_grad():
            y = model(golden_input()).view(-1).double()
        values = ', '.join(f'{y[i].item():.6g}' for i in GOLDEN_INDICES)
        print(f'{arch}: parameters {total}, encoder {encoder}; mean {y.mean().item():.6g}, values [{values}]')
