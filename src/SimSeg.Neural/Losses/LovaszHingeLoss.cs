using System.Buffers;

namespace SimSeg.Neural.Losses;

/// <summary>
/// Binary Lovász hinge loss, image by image (Berman, Rannen Triki &amp; Blaschko 2018, "The Lovász-Softmax loss",
/// CVPR; their <c>lovasz_hinge(per_image=True)</c>): a convex surrogate whose minimum is the mean over images of the
/// foreground Jaccard loss 1 − IoU, the quantity that per-image mIoU scores.
/// For one image with logits xᵢ and targets tᵢ ∈ {0, 1}: signs sᵢ = 2tᵢ − 1, hinge errors eᵢ = 1 − xᵢsᵢ, sorted
/// descending e₍₁₎ ≥ e₍₂₎ ≥ …; with G = Σt and Pₖ, Nₖ the positives and negatives among the first k sorted elements,
/// Jₖ = 1 − (G − Pₖ)/(G + Nₖ) is the Jaccard loss of predicting the first k as errors, gₖ = Jₖ − Jₖ₋₁ (J₀ = 0) its
/// increments (the Lovász extension's gradient) and ℓ = Σₖ gₖ·max(e₍ₖ₎, 0). Then ∂ℓ/∂xᵢ = −sᵢ·g₍rank i₎ where eᵢ &gt; 0.
/// The loss is the mean of ℓ over the images (the first dimension). Ties between errors do not change ℓ.
/// </summary>
public static class LovaszHingeLoss
{
    /// <summary>Returns the mean loss over images; when <paramref name="gradient"/> is given, overwrites it with d loss / d logits.</summary>
    /// <param name="logits">[N, …]: N images, any shape after the first dimension.</param>
    /// <param name="targets">Same shape; a target counts as foreground when it is ≥ 0.5.</param>
    /// <param name="gradient">Same shape, or null.</param>
    public static double Compute(Tensor logits, Tensor targets, Tensor? gradient = null)
    {
        LossChecks.Require(logits, targets, gradient);
        int images = logits.Shape[0], size = images == 0 ? 0 : logits.Length / images;
        if (size == 0) return 0;
        float[] errors = ArrayPool<float>.Shared.Rent(size);
        int[] order = ArrayPool<int>.Shared.Rent(size);
        try
        {
            double total = 0;
            for (int n = 0; n < images; n++)
                total += Image(logits.Data.AsSpan(n * size, size), targets.Data.AsSpan(n * size, size),
                    gradient is null ? default : gradient.Data.AsSpan(n * size, size), errors.AsSpan(0, size), order.AsSpan(0, size), gradient is not null, 1.0 / images);
            return total / images;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(errors);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>ℓ of one image; writes scale·∂ℓ/∂x into <paramref name="gradient"/> when <paramref name="withGradient"/>.</summary>
    private static double Image(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> gradient, Span<float> keys, Span<int> order,
        bool withGradient, double scale)
    {
        int positives = 0;
        for (int i = 0; i < x.Length; i++)
        {
            bool foreground = t[i] >= 0.5f;
            if (foreground) positives++;
            keys[i] = -(1 - (foreground ? x[i] : -x[i])); // ascending keys = descending errors
            order[i] = i;
        }
        keys.Sort(order);
        if (withGradient) gradient.Clear();
        double loss = 0, previous = 0;
        int seenPositives = 0, seenNegatives = 0;
        for (int k = 0; k < x.Length; k++)
        {
            float error = -keys[k];
            if (error <= 0) break; // the rest are no errors; their hinge and gradient are 0
            int i = order[k];
            bool foreground = t[i] >= 0.5f;
            if (foreground) seenPositives++;
            else seenNegatives++;
            double jaccard = 1 - (double)(positives - seenPositives) / (positives + seenNegatives);
            double increment = jaccard - previous;
            previous = jaccard;
            loss += increment * error;
            if (withGradient) gradient[i] = (float)((foreground ? -increment : increment) * scale);
        }
        return loss;
    }
}
