using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Optimizers;

namespace SimSeg.Neural.Tests;

/// <summary>The state a resumed training run restores: Adam's moments and step count, the plateau schedule, checkpoint metadata.</summary>
public sealed class ResumeStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simseg-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static (Parameter P, Adam Adam) Problem()
    {
        var p = Parameter.Create("w", new Tensor([1f, -2f, 3f, 0.5f, 7f], 5));
        return (p, new Adam([p], new AdamOptions(LearningRate: 0.1)));
    }

    private static void Step(Parameter p, Adam adam, int step)
    {
        adam.ZeroGrad();
        for (int i = 0; i < p.Value.Length; i++) p.Gradient.Data[i] = 2 * p.Value.Data[i] + 0.1f * step; // a moving quadratic
        adam.Step();
    }

    [Fact]
    public void Adam_RestoreState_ContinuesExactlyAsTheOriginal()
    {
        var (a, adamA) = Problem();
        for (int s = 0; s < 5; s++) Step(a, adamA, s);

        var (b, adamB) = Problem();
        for (int s = 0; s < 3; s++) Step(b, adamB, s);
        var (c, adamC) = Problem();
        b.Value.Data.CopyTo(c.Value.Data, 0);
        adamC.RestoreState(adamB.StepCount, adamB.FirstMoments.Select(m => m.ToArray()).ToArray(), adamB.SecondMoments.Select(v => v.ToArray()).ToArray(), adamB.LearningRate);
        for (int s = 3; s < 5; s++) Step(c, adamC, s);

        Assert.Equal(a.Value.Data, c.Value.Data);
        Assert.Equal(5, adamC.StepCount);
    }

    [Fact]
    public void Adam_RestoreStateOfAnotherShape_Throws()
    {
        var (_, adam) = Problem();
        Assert.Throws<ArgumentException>(() => adam.RestoreState(1, [new float[4]], [new float[5]], 0.1));
        Assert.Throws<ArgumentException>(() => adam.RestoreState(1, [], [], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.RestoreState(-1, [new float[5]], [new float[5]], 0.1));
    }

    [Fact]
    public void Plateau_RestoreState_ReducesAtTheSameEpoch()
    {
        var (_, adamA) = Problem();
        var a = new ReduceLrOnPlateau(adamA, MetricMode.Max, factor: 0.5, patience: 2);
        double[] metrics = [0.5, 0.6, 0.6, 0.59, 0.6, 0.6, 0.61];
        foreach (double m in metrics[..3]) a.Step(m);
        var (_, adamB) = Problem();
        adamB.LearningRate = adamA.LearningRate;
        var b = new ReduceLrOnPlateau(adamB, MetricMode.Max, factor: 0.5, patience: 2);
        b.RestoreState(a.Best, a.BadEpochs, a.CooldownLeft);
        foreach (double m in metrics[3..])
        {
            Assert.Equal(a.Step(m), b.Step(m));
            Assert.Equal(adamA.LearningRate, adamB.LearningRate);
        }
        Assert.Equal(0.05, adamB.LearningRate, 12);
    }

    [Fact]
    public void SafeTensors_ReadMetadata_ReturnsWhatWasWritten()
    {
        string path = Path.Combine(_dir, "state.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = new Tensor([1f, 2f], 2) }, new Dictionary<string, string> { ["state"] = "{\"epoch\": 3}" });
        Assert.Equal("{\"epoch\": 3}", SafeTensors.ReadMetadata(path)["state"]);
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = new Tensor([1f, 2f], 2) });
        Assert.Empty(SafeTensors.ReadMetadata(path));
        File.WriteAllBytes(path, [9, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        Assert.Throws<ImageFormatException>(() => SafeTensors.ReadMetadata(path));
        File.WriteAllBytes(path, [1, 2]);
        Assert.Throws<ImageFormatException>(() => SafeTensors.ReadMetadata(path));
    }
}
