using System.Runtime.CompilerServices;

namespace SimSeg.Core.Randomness;

/// <summary>
/// A small, fast, seedable pseudo-random generator (xoshiro256**, Blackman and Vigna 2018) with the
/// distributions the simulator needs. Unlike <see cref="System.Random"/> its sequence is fixed by this
/// code, so a seed gives the same numbers on every runtime and machine. Not thread-safe: give each
/// worker its own stream with <see cref="ForStream"/>.
/// </summary>
public sealed class Rng
{
    private Xoshiro256StarStar _state;

    /// <summary>Creates a generator from a 64-bit seed (expanded with SplitMix64).</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        ulong s0 = SplitMix64(ref x), s1 = SplitMix64(ref x), s2 = SplitMix64(ref x), s3 = SplitMix64(ref x);
        _state = new Xoshiro256StarStar(s0, s1, s2, s3);
    }

    /// <summary>
    /// An independent stream for item <paramref name="stream"/> of a job seeded with <paramref name="seed"/>
    /// (for example sample i of a dataset). The result depends only on the two numbers, never on thread
    /// scheduling, which is what makes parallel output byte-identical.
    /// </summary>
    public static Rng ForStream(ulong seed, ulong stream) => new(Mix(seed, stream));

    /// <summary>Hashes two 64-bit values into one well-mixed seed.</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        ulong x = a ^ (b * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        ulong h = SplitMix64(ref x);
        return h ^ SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next raw 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => _state.Next();

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        return (int)((NextUInt64() >> 33) * (ulong)maxExclusive >> 31);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public int NextInt(int min, int maxInclusive) => min + NextInt(maxInclusive - min + 1);

    /// <summary>
    /// A standard normal deviate by the ziggurat method of Marsaglia and Tsang (J. Stat. Softw. 5(8), 2000) with
    /// 128 layers: one 64-bit draw and a table look-up in about 99% of calls, exact rejection otherwise.
    /// </summary>
    public double NextGaussian()
    {
        while (true)
        {
            ulong bits = NextUInt64();
            int layer = (int)(bits & 127);
            // 53 bits give a signed uniform in (-1, 1) scaled by the layer's width.
            double u = ((long)(bits >> 11) - (1L << 52)) * (1.0 / (1L << 52));
            double x = u * Ziggurat.X[layer];
            if (Math.Abs(x) < Ziggurat.X[layer + 1]) return x; // inside the rectangle's core: accept at once
            if (layer == 0)
            {
                // The base layer's tail beyond R, sampled exactly (Marsaglia 1964).
                double tx, ty;
                do
                {
                    tx = -Math.Log(1 - NextDouble()) / Ziggurat.R;
                    ty = -Math.Log(1 - NextDouble());
                } while (ty + ty < tx * tx);
                return u > 0 ? Ziggurat.R + tx : -(Ziggurat.R + tx);
            }
            // Wedge between the layer's rectangle and the curve: accept under the density.
            double y = Ziggurat.F[layer] + NextDouble() * (Ziggurat.F[layer + 1] - Ziggurat.F[layer]);
            if (y < Math.Exp(-0.5 * x * x)) return x;
        }
    }

    /// <summary>
    /// Layer tables of the 128-layer normal ziggurat, computed once from R and the common layer area V:
    /// X[i] is the right edge of layer i (X[0] = V / f(R) for the base strip with its tail, X[1] = R, X[128] = 0)
    /// and F[i] = f(X[i]) with f(x) = exp(−x²/2).
    /// </summary>
    private static class Ziggurat
    {
        public const double R = 3.442619855899;
        private const double V = 9.91256303526217e-3;
        public static readonly double[] X = new double[129];
        public static readonly double[] F = new double[129];

        static Ziggurat()
        {
            double f = Math.Exp(-0.5 * R * R);
            X[0] = V / f;
            X[1] = R;
            for (int i = 2; i < 128; i++)
            {
                X[i] = Math.Sqrt(-2 * Math.Log(V / X[i - 1] + Math.Exp(-0.5 * X[i - 1] * X[i - 1])));
            }
            X[128] = 0;
            for (int i = 0; i < 129; i++) F[i] = Math.Exp(-0.5 * X[i] * X[i]);
        }
    }

    /// <summary>A normal deviate with the given mean and standard deviation.</summary>
    public double NextGaussian(double mean, double sigma) => mean + sigma * NextGaussian();

    /// <summary>An exponential deviate with the given mean (mean must be positive).</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1 - NextDouble());

    /// <summary>
    /// A Poisson deviate with mean <paramref name="lambda"/>. Uses inversion by sequential search (one uniform
    /// deviate) below 10 and the transformed-rejection method PTRS (Hörmann 1993) from 10 up, both exact.
    /// </summary>
    public long NextPoisson(double lambda)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be a finite non-negative number");
        if (lambda == 0) return 0;
        if (lambda < 10)
        {
            double u = NextDouble(), p = Math.Exp(-lambda), cumulative = p;
            long k = 0;
            while (u > cumulative)
            {
                k++;
                p *= lambda / k;
                double next = cumulative + p;
                if (next == cumulative) break; // the tail is below double precision
                cumulative = next;
            }
            return k;
        }
        double slam = Math.Sqrt(lambda), logLam = Math.Log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = NextDouble() - 0.5;
            double v = NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return (long)k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            double lhs = Math.Log(v * invAlpha / (a / (us * us) + b));
            double rhs = -lambda + k * logLam - LogFactorial(k);
            if (lhs <= rhs) return (long)k;
        }
    }

    private static double LogFactorial(double k)
    {
        if (k < 2) return 0;
        // Stirling series; exact enough (error < 1e-10) for k >= 10, table-free below via a loop.
        if (k < 10)
        {
            double r = 0;
            for (int i = 2; i <= (int)k; i++) r += Math.Log(i);
            return r;
        }
        double k2 = k * k;
        return (k + 0.5) * Math.Log(k) - k + 0.9189385332046728 + 1 / (12 * k) - 1 / (360 * k * k2) + 1 / (1260 * k2 * k2 * k);
    }
}
