namespace SimSeg.Neural.Layers;

/// <summary>
/// Channel-wise scaling by a broadcast gate, y[n, c, h, w] = x[n, c, h, w]·gate[n, c] for NCHW x [N, C, H, W] and gate
/// [N, C, 1, 1] (PyTorch's <c>x * gate</c> with broadcasting, the last step of squeeze-excitation). The backward pass
/// gives dx = dy·gate and d gate[n, c] = Σ_hw dy·x. A two-input layer: output and gradients are buffers owned by the
/// layer and reused while shapes stay the same; both inputs must stay unchanged until <see cref="Backward"/>.
/// </summary>
public sealed class ChannelMultiply
{
    private Tensor? _input, _gate, _output, _inputGradient, _gateGradient;

    /// <summary>x·gate with the gate broadcast over each channel's plane.</summary>
    /// <exception cref="ArgumentException">x is not NCHW, or gate is not [N, C, 1, 1] for x's N and C.</exception>
    public Tensor Forward(Tensor input, Tensor gate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gate);
        input.RequireNchw(nameof(input));
        if (gate.Rank != 4 || gate.N != input.N || gate.C != input.C || gate.H != 1 || gate.W != 1)
            throw new ArgumentException($"gate has shape {gate.ShapeText}; input {input.ShapeText} needs [{input.N}, {input.C}, 1, 1].", nameof(gate));
        _input = input;
        _gate = gate;
        Tensor output = TensorBuffers.EnsureLike(ref _output, input);
        int plane = input.H * input.W;
        for (int p = 0; p < gate.Length; p++)
            VectorMath.Scale(input.Data.AsSpan(p * plane, plane), gate.Data[p], output.Data.AsSpan(p * plane, plane));
        return output;
    }

    /// <summary>d loss / d x [N, C, H, W] and d loss / d gate [N, C, 1, 1] from d loss / d y of the last Forward.</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public (Tensor InputGradient, Tensor GateGradient) Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor x = _input!, gate = _gate!;
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, x);
        Tensor dgate = TensorBuffers.EnsureLike(ref _gateGradient, gate);
        int plane = x.H * x.W;
        for (int p = 0; p < gate.Length; p++)
        {
            ReadOnlySpan<float> dy = outputGradient.Data.AsSpan(p * plane, plane);
            VectorMath.Scale(dy, gate.Data[p], dx.Data.AsSpan(p * plane, plane));
            dgate.Data[p] = VectorMath.Dot(dy, x.Data.AsSpan(p * plane, plane));
        }
        return (dx, dgate);
    }
}
