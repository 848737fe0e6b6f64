using System.Numerics;
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
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator from a 64-bit seed (expanded with SplitMix64).</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
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
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

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

    /// <summary>A standard normal deviate (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * f;
        _hasSpare = true;
        return u * f;
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
