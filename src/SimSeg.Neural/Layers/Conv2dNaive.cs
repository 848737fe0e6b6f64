namespace SimSeg.Neural.Layers;

/// <summary>
/// Reference twins of <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/>: direct loops over every output,
/// input channel and kernel tap, with double accumulation. Slow and obviously right; tests hold the fast layers
/// equal to them.
/// </summary>
public static class Conv2dNaive
{
    /// <summary>
    /// Convolution (cross-correlation, as PyTorch) of NCHW <paramref name="input"/> with OIHW <paramref name="weight"/>
    /// [out, in/groups, k, k] and optional <paramref name="bias"/> [out]; zero padding.
    /// </summary>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, int stride, int padding, int dilation, int groups)
    {
        int n = input.N, cin = input.C, h = input.H, w = input.W, cout = weight.Shape[0], k = weight.Shape[2];
        int cinG = cin / groups, coutG = cout / groups;
        int oh = (h + 2 * padding - dilation * (k - 1) - 1) / stride + 1, ow = (w + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        var y = new Tensor(n, cout, oh, ow);
        for (int b = 0; b < n; b++)
            for (int o = 0; o < cout; o++)
            {
                int g = o / coutG;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = bias == null ? 0 : bias.Data[o];
                        for (int ci = 0; ci < cinG; ci++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * stride - padding + ky * dilation, ix = ox * stride - padding + kx * dilation;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    sum += (double)input.At(b, g * cinG + ci, iy, ix) * weight.At(o, ci, ky, kx);
                                }
                        y.At(b, o, oy, ox) = (float)sum;
                    }
            }
        return y;
    }

    /// <summary>
    /// Gradients of <see cref="Forward"/> given d loss / d output: (d input, d weight, d bias), fresh tensors.
    /// </summary>
    public static (Tensor Input, Tensor Weight, Tensor Bias) Backward(Tensor input, Tensor weight, Tensor outputGradient,
        int stride, int padding, int dilation, int groups)
    {
        int n = input.N, cin = input.C, h = input.H, w = input.W, cout = weight.Shape[0], k = weight.Shape[2];
        int cinG = cin / groups, coutG = cout / groups, oh = outputGradient.H, ow = outputGradient.W;
        var dx = new double[input.Length];
        var dw = new double[weight.Length];
        var db = new double[cout];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < cout; o++)
            {
                int g = o / coutG;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double go = outputGradient.At(b, o, oy, ox);
                        db[o] += go;
                        for (int ci = 0; ci < cinG; ci++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * stride - padding + ky * dilation, ix = ox * stride - padding + kx * dilation;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    int xi = ((b * cin + g * cinG + ci) * h + iy) * w + ix;
                                    int wi = ((o * cinG + ci) * k + ky) * k + kx;
                                    dx[xi] += go * weight.Data[wi];
                                    dw[wi] += go * input.Data[xi];
                                }
                    }
            }
        return (ToTensor(dx, input.Shape), ToTensor(dw, weight.Shape), ToTensor(db, [cout]));
    }

    /// <summary>
    /// Transposed convolution (PyTorch ConvTranspose2d) of NCHW <paramref name="input"/> with IOHW <paramref name="weight"/>
    /// [in, out/groups, k, k] and optional <paramref name="bias"/>: each input pixel scatters its weighted kernel into
    /// the output at (iy·S − P + ky·D, ix·S − P + kx·D). Output size (H−1)·S − 2P + D(K−1) + outputPadding + 1.
    /// </summary>
    public static Tensor TransposedForward(Tensor input, Tensor weight, Tensor? bias, int stride, int padding, int dilation, int groups, int outputPadding = 0)
    {
        int n = input.N, cin = input.C, h = input.H, w = input.W, k = weight.Shape[2];
        int coutG = weight.Shape[1], cinG = cin / groups, cout = coutG * groups;
        int oh = (h - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1;
        int ow = (w - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1;
        var y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < cin; ci++)
            {
                int g = ci / cinG;
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < w; ix++)
                    {
                        double x = input.At(b, ci, iy, ix);
                        for (int o = 0; o < coutG; o++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int oy = iy * stride - padding + ky * dilation, ox = ix * stride - padding + kx * dilation;
                                    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                                    y[((b * cout + g * coutG + o) * oh + oy) * ow + ox] += x * weight.At(ci, o, ky, kx);
                                }
                    }
            }
        if (bias != null)
            for (int b = 0; b < n; b++)
                for (int o = 0; o < cout; o++)
                    for (int i = 0; i < oh * ow; i++) y[(b * cout + o) * oh * ow + i] += bias.Data[o];
        return ToTensor(y, [n, cout, oh, ow]);
    }

    /// <summary>Gradients of <see cref="TransposedForward"/>: (d input, d weight, d bias), fresh tensors.</summary>
    public static (Tensor Input, Tensor Weight, Tensor Bias) TransposedBackward(Tensor input, Tensor weight, Tensor outputGradient,
        int stride, int padding, int dilation, int groups)
    {
        int n = input.N, cin = input.C, h = input.H, w = input.W, k = weight.Shape[2];
        int coutG = weight.Shape[1], cinG = cin / groups, cout = coutG * groups, oh = outputGradient.H, ow = outputGradient.W;
        var dx = new double[input.Length];
        var dw = new double[weight.Length];
        var db = new double[cout];
        for (int b = 0; b < n; b++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                int g = ci / cinG;
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < w; ix++)
                    {
                        int xi = ((b * cin + ci) * h + iy) * w + ix;
                        for (int o = 0; o < coutG; o++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int oy = iy * stride - padding + ky * dilation, ox = ix * stride - padding + kx * dilation;
                                    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                                    double go = outputGradient.At(b, g * coutG + o, oy, ox);
                                    int wi = ((ci * coutG + o) * k + ky) * k + kx;
                                    dx[xi] += go * weight.Data[wi];
                                    dw[wi] += go * input.Data[xi];
                                }
                    }
            }
            for (int o = 0; o < cout; o++)
                for (int i = 0; i < oh * ow; i++) db[o] += outputGradient.Data[(b * cout + o) * oh * ow + i];
        }
        return (ToTensor(dx, input.Shape), ToTensor(dw, weight.Shape), ToTensor(db, [cout]));
    }

    private static Tensor ToTensor(double[] values, int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < values.Length; i++) t.Data[i] = (float)values[i];
        return t;
    }
}
