using System.Globalization;
using SimSeg.Core;

namespace SimSeg.Analysis.Plots;

/// <summary>
/// An axis layout from <see cref="Ticks"/>: limits that sit on the first and last tick, so the axis ends on a
/// labelled value, and the ticks with their labels.
/// </summary>
/// <param name="Min">The first tick, ≤ the data minimum.</param>
/// <param name="Max">The last tick, ≥ the data maximum.</param>
/// <param name="Step">
/// Distance between ticks: in data units for a linear scale; for a log scale, in decades (0 when the ticks are
/// 1, 2, 5 within each decade).
/// </param>
/// <param name="Values">The tick values, ascending; each is the double nearest to a short decimal.</param>
/// <param name="Labels">One label per value, without float noise (0.3, never 0.30000000000000004).</param>
public sealed record NiceScale(double Min, double Max, double Step, IReadOnlyList<double> Values, IReadOnlyList<string> Labels);

/// <summary>
/// Tick generation by Heckbert's "nice numbers" (P. S. Heckbert, "Nice numbers for graph labels", Graphics
/// Gems, 1990): steps are 1, 2 or 5 × 10^k and the axis is widened outwards to whole steps ("loose"
/// labelling). Tick values are computed as integer × 10^k with an exact division, so they are the doubles
/// nearest to their decimal values.
/// </summary>
public static class Ticks
{
    /// <summary>The default number of ticks an axis aims for.</summary>
    public const int DefaultMaxTicks = 7;

    /// <summary>Nice linear ticks covering [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">Data minimum (finite).</param>
    /// <param name="max">Data maximum (finite, ≥ <paramref name="min"/>). A zero-width range is widened by 10 % of its value (±1 around 0).</param>
    /// <param name="maxTicks">Most ticks to return, ≥ 2. Heckbert's step is enlarged to the next nice step until the count fits.</param>
    /// <returns>Ascending ticks; the first ≤ <paramref name="min"/>, the last ≥ <paramref name="max"/>.</returns>
    public static double[] Linear(double min, double max, int maxTicks = DefaultMaxTicks) =>
        LinearScale(min, max, maxTicks).Values.ToArray();

    /// <summary>Like <see cref="Linear"/>, with the step and the formatted labels.</summary>
    /// <inheritdoc cref="Linear" path="/param"/>
    public static NiceScale LinearScale(double min, double max, int maxTicks = DefaultMaxTicks) =>
        LinearScale(min, max, maxTicks, minStep: 0);

    /// <summary>Nice logarithmic ticks covering [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">Data minimum, finite and &gt; 0.</param>
    /// <param name="max">Data maximum, finite and ≥ <paramref name="min"/>.</param>
    /// <param name="maxTicks">Most ticks to return, ≥ 2. With few decades the ticks are 1, 2, 5 × 10^k; otherwise powers of ten, every n-th decade when there are many.</param>
    /// <returns>Ascending ticks; the first ≤ <paramref name="min"/>, the last ≥ <paramref name="max"/>.</returns>
    public static double[] Log(double min, double max, int maxTicks = DefaultMaxTicks) =>
        LogScale(min, max, maxTicks).Values.ToArray();

    /// <summary>Like <see cref="Log"/>, with the labels.</summary>
    /// <inheritdoc cref="Log" path="/param"/>
    public static NiceScale LogScale(double min, double max, int maxTicks = DefaultMaxTicks)
    {
        Guard.OrderedRange(min, max);
        if (!(min > 0)) throw new ArgumentOutOfRangeException(nameof(min), min, $"min must be > 0 on a log scale, got {min}.");
        CheckMaxTicks(maxTicks);
        int lo = (int)Math.Floor(Math.Log10(min));
        if (PowerOfTen(lo + 1) <= min) lo++;
        else if (PowerOfTen(lo) > min) lo--;
        int hi = (int)Math.Ceiling(Math.Log10(max));
        if (PowerOfTen(hi - 1) >= max) hi--;
        else if (PowerOfTen(hi) < max) hi++;
        if (hi == lo) hi++;
        int decades = hi - lo;

        if (decades <= 3)
        {
            // 1-2-5 ticks, trimmed to the smallest run that still covers [min, max].
            var candidates = new List<(int Mantissa, int Exponent)>();
            for (int e = lo; e < hi; e++)
                foreach (int m in (ReadOnlySpan<int>)[1, 2, 5]) candidates.Add((m, e));
            candidates.Add((1, hi));
            int first = candidates.FindLastIndex(c => Decimal(c.Mantissa, c.Exponent) <= min);
            int last = candidates.FindIndex(c => Decimal(c.Mantissa, c.Exponent) >= max);
            if (last - first + 1 <= maxTicks)
            {
                var picked = candidates.GetRange(first, last - first + 1);
                double[] values = picked.Select(c => Decimal(c.Mantissa, c.Exponent)).ToArray();
                string[] labels = picked.Select(c => LogLabel(c.Mantissa, c.Exponent)).ToArray();
                return new NiceScale(values[0], values[^1], 0, values, labels);
            }
        }

        int stride = Math.Max(1, (int)Math.Ceiling(decades / (double)(maxTicks - 1)));
        int count = (decades + stride - 1) / stride + 1;
        var exponents = Enumerable.Range(0, count).Select(i => lo + i * stride).ToArray();
        double[] powers = exponents.Select(PowerOfTen).ToArray();
        return new NiceScale(powers[0], powers[^1], stride, powers, exponents.Select(e => LogLabel(1, e)).ToArray());
    }

    /// <summary>
    /// Heckbert's nice number: a value of the form 1, 2, 5 or 10 × 10^k close to <paramref name="value"/>,
    /// rounded to the nearest (<paramref name="round"/> true) or the next one up (false).
    /// </summary>
    /// <param name="value">A finite number &gt; 0.</param>
    /// <param name="round">Nearest nice number when true; smallest nice number ≥ <paramref name="value"/> when false.</param>
    public static double NiceNumber(double value, bool round)
    {
        Guard.Positive(value);
        var (mantissa, exponent) = NiceStep(value, round);
        return Decimal(mantissa, exponent);
    }

    /// <summary>
    /// Formats one number for a label without float noise: at most 12 significant digits, trailing zeros
    /// dropped, exponent notation (<c>1.5e-7</c>) outside [1e-4, 1e15). Non-finite values give "NaN", "∞" or "-∞".
    /// </summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "-∞";
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e15)
        {
            string text = value.ToString("G12", CultureInfo.InvariantCulture);
            if (!text.Contains('E')) return text;
        }
        return Exponential(value, 11);
    }

    /// <summary>Labels for evenly spaced ticks: all with the same number of decimals, enough for <paramref name="step"/>.</summary>
    /// <param name="values">Tick values.</param>
    /// <param name="step">Distance between ticks (finite, &gt; 0).</param>
    public static string[] FormatLabels(IReadOnlyList<double> values, double step)
    {
        ArgumentNullException.ThrowIfNull(values);
        Guard.Positive(step);
        var (_, exponent) = Decompose(step);
        double largest = values.Count == 0 ? 0 : values.Max(Math.Abs);
        bool exponential = largest >= 1e6 || exponent < -4;
        int decimals = Math.Max(0, -exponent);
        var labels = new string[values.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            double v = values[i];
            if (Math.Abs(v) < step * 1e-9) labels[i] = "0";
            else if (exponential) labels[i] = Exponential(v, Math.Max(0, (int)Math.Floor(Math.Log10(Math.Abs(v))) - exponent));
            else labels[i] = v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        return labels;
    }

    /// <summary>
    /// Linear ticks with a floor on the step (<paramref name="minStep"/> 1 keeps count axes on whole numbers).
    /// </summary>
    internal static NiceScale LinearScale(double min, double max, int maxTicks, double minStep)
    {
        Guard.OrderedRange(min, max);
        CheckMaxTicks(maxTicks);
        if (!double.IsFinite(max - min))
            throw new ArgumentOutOfRangeException(nameof(max), $"The range [{min}, {max}] is too wide to label.");
        if (max - min <= Math.Max(Math.Abs(min), Math.Abs(max)) * 1e-12)
        {
            double centre = 0.5 * (min + max);
            double half = centre == 0 ? 1 : Math.Abs(centre) * 0.1;
            (min, max) = (centre - half, centre + half);
        }

        var (mantissa, exponent) = NiceStep(NiceNumber(max - min, round: false) / (maxTicks - 1), round: true);
        while (Decimal(mantissa, exponent) < minStep) (mantissa, exponent) = Next(mantissa, exponent);
        while (true)
        {
            double step = Decimal(mantissa, exponent);
            long first = (long)Math.Floor(min / step + 1e-9);
            if (Tick(first, mantissa, exponent) > min) first--;
            long last = (long)Math.Ceiling(max / step - 1e-9);
            if (Tick(last, mantissa, exponent) < max) last++;
            if (last - first + 1 <= maxTicks)
            {
                var values = new double[last - first + 1];
                for (long k = first; k <= last; k++) values[k - first] = Tick(k, mantissa, exponent);
                return new NiceScale(values[0], values[^1], step, values, FormatLabels(values, step));
            }
            (mantissa, exponent) = Next(mantissa, exponent);
        }
    }

    private static void CheckMaxTicks(int maxTicks)
    {
        if (maxTicks < 2) throw new ArgumentOutOfRangeException(nameof(maxTicks), maxTicks, $"maxTicks must be at least 2, got {maxTicks}.");
    }

    private static (int Mantissa, int Exponent) NiceStep(double value, bool round)
    {
        int exponent = (int)Math.Floor(Math.Log10(value));
        double fraction = value / Math.Pow(10, exponent);
        int mantissa = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return mantissa == 10 ? (1, exponent + 1) : (mantissa, exponent);
    }

    private static (int Mantissa, int Exponent) Next(int mantissa, int exponent) =>
        mantissa switch { 1 => (2, exponent), 2 => (5, exponent), _ => (1, exponent + 1) };

    /// <summary>The step written as mantissa × 10^exponent with the smallest whole mantissa.</summary>
    private static (long Mantissa, int Exponent) Decompose(double step)
    {
        int exponent = (int)Math.Floor(Math.Log10(step)) - 14;
        long mantissa = (long)Math.Round(step / Math.Pow(10, exponent));
        while (mantissa != 0 && mantissa % 10 == 0) { mantissa /= 10; exponent++; }
        return (mantissa, exponent);
    }

    /// <summary>k × mantissa × 10^exponent, as the double nearest to that decimal.</summary>
    private static double Tick(long k, int mantissa, int exponent) => Decimal(k * mantissa, exponent);

    private static double Decimal(long integer, int exponent) =>
        exponent >= 0 ? integer * PowerOfTen(exponent)
        : exponent >= -22 ? integer / PowerOfTen(-exponent) // 10^22 is the largest exact power: one rounding.
        : double.Parse($"{integer}e{exponent}", CultureInfo.InvariantCulture);

    private static double PowerOfTen(int exponent) => double.Parse($"1e{exponent}", CultureInfo.InvariantCulture);

    private static string LogLabel(int mantissa, int exponent) =>
        exponent is >= -4 and <= 6 ? Format(Decimal(mantissa, exponent)) : $"{mantissa}e{exponent}";

    private static string Exponential(double value, int decimals)
    {
        string format = "0." + new string('#', Math.Clamp(decimals, 0, 15)) + "e0";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
