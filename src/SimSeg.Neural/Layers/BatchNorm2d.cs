namespace SimSeg.Neural.Layers;

/// <summary>
/// Batch normalisation over the N, H and W axes of an NCHW tensor (Ioffe &amp; Szegedy 2015), as PyTorch's
/// BatchNorm2d: y = γ·(x − μ)/√(σ² + ε) + β per channel. In training μ and σ² are the batch mean and biased
/// variance, and the running estimates move by <see cref="Momentum"/> towards the batch mean and the unbiased
/// batch variance; in evaluation the running estimates are used. Parameters "weight" (γ, ones) and "bias"
/// (β, zeros); buffers "running_mean" (zeros), "running_var" (ones) and "num_batches_tracked" (a rank-0 count).
/// The output is a reused buffer; the input must stay unchanged until <see cref="Backward"/>. With
/// <see cref="FusedReLU"/> the layer is batch norm followed by ReLU in one pass (one buffer instead of two, as the
/// convolution blocks use it), and <see cref="ForwardInPlace"/> applies it in evaluation without any buffer.
/// </summary>
public sealed class BatchNorm2d : ILayer, IPooledLayer
{
    private const int ParallelThreshold = 1 << 15;
    private readonly double[] _mean;
    private readonly double[] _invStd;
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGradient;
    private bool _trainedForward;

    /// <summary>A batch norm over <paramref name="channels"/> channels.</summary>
    /// <param name="channels">Number of channels C.</param>
    /// <param name="epsilon">ε added to the variance (PyTorch: 1e-5).</param>
    /// <param name="momentum">Weight of the new batch in the running estimates (PyTorch: 0.1).</param>
    /// <param name="fuseReLU">Apply ReLU to the output in the same pass (nn.BatchNorm2d then nn.ReLU).</param>
    public BatchNorm2d(int channels, double epsilon = 1e-5, double momentum = 0.1, bool fuseReLU = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must lie in [0, 1].");
        Channels = channels;
        Epsilon = epsilon;
        Momentum = momentum;
        FusedReLU = fuseReLU;
        var gamma = new Tensor(channels);
        gamma.Data.AsSpan().Fill(1f);
        var runningVar = new Tensor(channels);
        runningVar.Data.AsSpan().Fill(1f);
        Weight = Parameter.Create("weight", gamma);
        Bias = Parameter.Create("bias", new Tensor(channels));
        RunningMean = Parameter.Buffer("running_mean", new Tensor(channels));
        RunningVar = Parameter.Buffer("running_var", runningVar);
        NumBatchesTracked = Parameter.Buffer("num_batches_tracked", new Tensor());
        Parameters = [Weight, Bias, RunningMean, RunningVar, NumBatchesTracked];
        _mean = new double[channels];
        _invStd = new double[channels];
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Weight of the new batch in the running estimates.</summary>
    public double Momentum { get; }

    /// <summary>Whether ReLU follows in the same pass.</summary>
    public bool FusedReLU { get; }

    /// <summary>γ, shape [C].</summary>
    public Parameter Weight { get; }

    /// <summary>β, shape [C].</summary>
    public Parameter Bias { get; }

    /// <summary>Running mean, shape [C] (buffer).</summary>
    public Parameter RunningMean { get; }

    /// <summary>Running unbiased variance, shape [C] (buffer).</summary>
    public Parameter RunningVar { get; }

    /// <summary>Number of training batches seen, rank 0 (buffer).</summary>
    public Parameter NumBatchesTracked { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc/>
    public TensorPool? Pool { get; set; }

    /// <inheritdoc/>
    public void ReleaseBuffers() => _input = _output = _inputGradient = null;

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), Channels);
        int count = input.N * input.H * input.W;
        if (training && count < 2)
            throw new ArgumentException($"input has shape {input.ShapeText}; training needs more than one value per channel.", nameof(input));
        _input = input;
        _trainedForward = training;
        Tensor output = TensorBuffers.Acquire(Pool, ref _output, input.Shape);
        EachChannel(input.Length, c => ForwardChannel(c, input, output, training));
        if (training) NumBatchesTracked.Value.Data[0] += 1;
        return output;
    }

    /// <summary>
    /// Evaluation-mode forward that overwrites <paramref name="tensor"/> with the result (running statistics, ReLU
    /// when fused). Nothing is kept for a backward pass, so no buffer is needed.
    /// </summary>
    public void ForwardInPlace(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.RequireNchw(nameof(tensor), Channels);
        _input = null;
        _output = null;
        // The evaluation branch of the ordinary forward, reading and writing the same tensor: ScaleShift reads every
        // element before it writes it.
        EachChannel(tensor.Length, c => ForwardChannel(c, tensor, tensor, training: false));
    }

    /// <summary>Runs <paramref name="body"/> for every channel, in parallel when the tensor is large.</summary>
    private void EachChannel(int length, Action<int> body)
    {
        if (length >= ParallelThreshold && Channels > 1) Parallel.For(0, Channels, body);
        else for (int c = 0; c < Channels; c++) body(c);
    }

    private static void ScaleShift(ReadOnlySpan<float> src, Span<float> dst, float scale, float shift, bool relu)
    {
        int i = 0, width = System.Numerics.Vector<float>.Count;
        var vs = new System.Numerics.Vector<float>(scale);
        var vb = new System.Numerics.Vector<float>(shift);
        for (; i <= src.Length - width; i += width)
        {
            var v = new System.Numerics.Vector<float>(src[i..]) * vs + vb;
            if (relu) v = System.Numerics.Vector.Max(v, System.Numerics.Vector<float>.Zero);
            v.CopyTo(dst[i..]);
        }
        for (; i < src.Length; i++)
        {
            float v = src[i] * scale + shift;
            dst[i] = relu && !(v > 0) ? 0f : v;
        }
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.Acquire(Pool, ref _inputGradient, outputGradient.Shape);
        EachChannel(outputGradient.Length, c => BackwardChannel(c, outputGradient, dx));
        return dx;
    }

    private void ForwardChannel(int c, Tensor input, Tensor output, bool training)
    {
        int plane = input.H * input.W, stride = Channels * plane, count = input.N * plane;
        float[] x = input.Data;
        double mean, invStd;
        if (training)
        {
            double sum = 0;
            for (int n = 0; n < input.N; n++)
                foreach (float v in x.AsSpan(n * stride + c * plane, plane)) sum += v;
            mean = sum / count;
            double squares = 0;
            for (int n = 0; n < input.N; n++)
            {
                foreach (float v in x.AsSpan(n * stride + c * plane, plane))
                {
                    double d = v - mean;
                    squares += d * d;
                }
            }
            double variance = squares / count;
            invStd = 1 / Math.Sqrt(variance + Epsilon);
            ref float rm = ref RunningMean.Value.Data[c];
            ref float rv = ref RunningVar.Value.Data[c];
            rm = (float)((1 - Momentum) * rm + Momentum * mean);
            rv = (float)((1 - Momentum) * rv + Momentum * squares / (count - 1));
        }
        else
        {
            mean = RunningMean.Value.Data[c];
            invStd = 1 / Math.Sqrt(RunningVar.Value.Data[c] + Epsilon);
        }
        _mean[c] = mean;
        _invStd[c] = invStd;
        float scale = (float)(Weight.Value.Data[c] * invStd);
        float shift = (float)(Bias.Value.Data[c] - mean * Weight.Value.Data[c] * invStd);
        for (int n = 0; n < input.N; n++)
            ScaleShift(x.AsSpan(n * stride + c * plane, plane), output.Data.AsSpan(n * stride + c * plane, plane), scale, shift, FusedReLU);
    }

    // Training: dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)); evaluation: dx = γ/σ · dy. dγ += Σ dy·x̂, dβ += Σ dy.
    // With the fused ReLU, dy is first zeroed where the output is not positive.
    private void BackwardChannel(int c, Tensor outputGradient, Tensor dx)
    {
        int plane = outputGradient.H * outputGradient.W, stride = Channels * plane, count = outputGradient.N * plane;
        float[] x = _input!.Data, g = outputGradient.Data;
        if (FusedReLU)
        {
            // dx doubles as the masked gradient's home: each element is read back before it is overwritten below.
            float[] y = _output!.Data, masked = dx.Data;
            for (int n = 0; n < outputGradient.N; n++)
            {
                int o = n * stride + c * plane;
                for (int i = o; i < o + plane; i++) masked[i] = y[i] > 0 ? g[i] : 0f;
            }
            g = masked;
        }
        var dy = outputGradient;
        double mean = _mean[c], invStd = _invStd[c];
        double sumDy = 0, sumDyXhat = 0;
        for (int n = 0; n < dy.N; n++)
        {
            int o = n * stride + c * plane;
            for (int i = o; i < o + plane; i++)
            {
                sumDy += g[i];
                sumDyXhat += g[i] * (x[i] - mean);
            }
        }
        sumDyXhat *= invStd;
        Weight.Gradient.Data[c] += (float)sumDyXhat;
        Bias.Gradient.Data[c] += (float)sumDy;
        double gamma = Weight.Value.Data[c];
        float k = (float)(gamma * invStd);
        float offset = _trainedForward ? (float)(sumDy / count) : 0f;
        float slope = _trainedForward ? (float)(sumDyXhat / count * invStd) : 0f;
        float m = (float)mean;
        float[] d = dx.Data;
        for (int n = 0; n < dy.N; n++)
        {
            int o = n * stride + c * plane;
            for (int i = o; i < o + plane; i++) d[i] = k * (g[i] - offset - (x[i] - m) * slope);
        }
    }
}
