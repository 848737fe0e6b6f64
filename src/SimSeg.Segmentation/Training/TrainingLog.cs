using System.Globalization;
using System.Text;
using SimSeg.Analysis.Plots;
using SimSeg.Core.IO;

namespace SimSeg.Segmentation.Training;

/// <summary>Writes the history of a run as train-log.csv and train-curves.svg.</summary>
public static class TrainingLog
{
    /// <summary>File name of the table.</summary>
    public const string CsvFileName = "train-log.csv";

    /// <summary>File name of the plot.</summary>
    public const string PlotFileName = "train-curves.svg";

    /// <summary>The CSV header of a binary model.</summary>
    public const string Header = "epoch,step,complete,train_loss,val_loss,val_miou,val_f1,lr,seconds";

    /// <summary>
    /// The CSV header: <see cref="Header"/>, followed for a K-class model (<paramref name="classNames"/> given) by one
    /// column per class, <c>val_iou_NAME</c> (e.g. val_iou_background, val_iou_mitochondrion, val_iou_vesicle).
    /// </summary>
    public static string HeaderFor(IReadOnlyList<string>? classNames) =>
        classNames is null ? Header : Header + string.Concat(classNames.Select(n => ",val_iou_" + n));

    /// <summary>
    /// The table: one row per validated epoch (a partial epoch ended by the time budget has complete = false and is
    /// followed, after a resume, by the full row of the same epoch). With <paramref name="classNames"/> (K-class
    /// models) each row ends with the validation IoU of every class.
    /// </summary>
    public static string ToCsv(IEnumerable<EpochRecord> history, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(HeaderFor(classNames)).Append('\n');
        foreach (var r in history)
        {
            sb.Append(r.Epoch.ToString(c)).Append(',').Append(r.Step.ToString(c)).Append(',').Append(r.Complete ? "true" : "false").Append(',')
              .Append(r.TrainLoss.ToString("0.######", c)).Append(',').Append(r.ValidationLoss.ToString("0.######", c)).Append(',')
              .Append(r.ValidationMeanIoU.ToString("0.######", c)).Append(',').Append(r.ValidationF1.ToString("0.######", c)).Append(',')
              .Append(r.LearningRate.ToString("0.########", c)).Append(',').Append(r.Seconds.ToString("0.#", c));
            for (int k = 0; k < (classNames?.Count ?? 0); k++)
                sb.Append(',').Append(r.ValidationClassIoU is { } iou && k < iou.Count ? iou[k].ToString("0.######", c) : "");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Writes train-log.csv and train-curves.svg into <paramref name="directory"/> atomically; with
    /// <paramref name="classNames"/> (K-class models) the table and the plot also hold the IoU of every class.
    /// </summary>
    public static void Write(string directory, IReadOnlyList<EpochRecord> history, int stepsPerEpoch, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        AtomicFile.WriteAllText(Path.Combine(directory, CsvFileName), ToCsv(history, classNames));
        if (history.Count == 0) return;
        // x: epochs as a fraction (a partial epoch sits between its neighbours).
        var x = history.Select(r => r.Complete ? r.Epoch : r.Epoch - 1 + PartialFraction(r, history, stepsPerEpoch)).ToArray();
        var series = new List<XYSeries>
        {
            new("train loss", x, history.Select(r => r.TrainLoss).ToArray()),
            new("val loss", x, history.Select(r => r.ValidationLoss).ToArray()),
            new("val mIoU", x, history.Select(r => r.ValidationMeanIoU).ToArray(), SecondaryAxis: true),
        };
        for (int k = 0; k < (classNames?.Count ?? 0); k++)
        {
            int c = k;
            series.Add(new($"val IoU {classNames![c]}", x, history.Select(r => r.ValidationClassIoU is { } iou && c < iou.Count ? iou[c] : double.NaN).ToArray(), SecondaryAxis: true));
        }
        Plot.Line(Path.Combine(directory, PlotFileName), series, "Training curves", "Epoch", "Loss",
            new LineOptions { Markers = true, SecondaryYLabel = "Validation mIoU", Description = "Training and validation loss (left axis) and validation mIoU (right axis) per epoch." });
    }

    private static double PartialFraction(EpochRecord row, IReadOnlyList<EpochRecord> history, int stepsPerEpoch)
    {
        long start = history.Where(r => r.Complete && r.Epoch < row.Epoch).Select(r => r.Step).DefaultIfEmpty(0).Max();
        return Math.Clamp((row.Step - start) / (double)Math.Max(1, stepsPerEpoch), 0, 1);
    }
}
