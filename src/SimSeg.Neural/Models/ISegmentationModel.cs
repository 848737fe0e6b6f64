namespace SimSeg.Neural.Models;

/// <summary>
/// A dense-prediction network: NCHW images in, NCHW logits of the same height and width out. Every architecture the
/// <c>train</c> and <c>segment</c> commands know implements it, so the trainer, tiled inference and checkpoints do not
/// depend on the layer graph.
/// </summary>
public interface ISegmentationModel
{
    /// <summary>Input channels.</summary>
    int InChannels { get; }

    /// <summary>Logit channels (1 for a sigmoid head, K for a K-class softmax head).</summary>
    int OutChannels { get; }

    /// <summary>Input height and width must be multiples of this.</summary>
    int SizeMultiple { get; }

    /// <summary>Logits for <paramref name="input"/>; the result is overwritten by the next call.</summary>
    Tensor Forward(Tensor input, bool training);

    /// <summary>Back-propagates d loss / d logits of the last training <see cref="Forward"/>, accumulating every parameter's gradient.</summary>
    Tensor Backward(Tensor logitsGradient);

    /// <summary>Every parameter and buffer with its PyTorch name.</summary>
    IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters();
}
