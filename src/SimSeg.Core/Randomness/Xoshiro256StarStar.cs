using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimSeg.Core.Randomness;

/// <summary>
/// The xoshiro256** generator (Blackman and Vigna 2018) as a mutable struct, so that a hot sampling loop can
/// keep its state in registers. <see cref="Rng"/> is built on it; bulk samplers seed one from an Rng.
/// </summary>
public struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Starts from the given state (all zero is replaced by a fixed non-zero state, the one forbidden case).</summary>
    public Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0) s0 = 0x9E3779B97F4A7C15UL;
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
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
}
