namespace SimSeg.Neural.Layers;

/// <summary>Global average pooling: NCHW [N, C, H, W] → [N, C, 1, 1], the mean of each plane (PyTorch's AdaptiveAvgPool2d(1)).</summary>
public sealed class GlobalAvgPool : ILayer
{
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[]? _inputShape;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input));
        Tensor output = TensorBuffers.Ensure(ref _output, [input.N, input.C, 1, 1]);
        _inputShape = input.Shape;
        int plane = input.H * input.W;
        for (int p = 0; p < input.N * input.C; p++)
        {
            double sum = 0;
            foreach (float v in input.Data.AsSpan(p * plane, plane)) sum += v;
            output.Data[p] = (float)(sum / plane);
        }
        return output;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.Ensure(ref _inputGradient, _inputShape!);
        int plane = dx.H * dx.W;
        for (int p = 0; p < dx.N * dx.C; p++) dx.Data.AsSpan(p * plane, plane).Fill(outputGradient.Data[p] / plane);
        return dx;
    }
}
