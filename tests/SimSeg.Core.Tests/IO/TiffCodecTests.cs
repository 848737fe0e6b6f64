using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public sealed class TiffCodecTests
{
    /// <summary>Packs codes most significant bit first, as TIFF LZW does (independent of the codec under test).</summary>
    private static byte[] PackCodes(params (int Code, int Width)[] codes)
    {
        var bits = new List<bool>();
        foreach (var (code, width) in codes)
            for (int b = width - 1; b >= 0; b--) bits.Add(((code >> b) & 1) != 0);
        var bytes = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++)
            if (bits[i]) bytes[i / 8] |= (byte)(0x80 >> (i % 8));
        return bytes;
    }

    // TIFF 6.0 section 13 example: 7 7 7 8 8 7 7 6 6 -> Clear 7 258 8 8 258 6 6 EOI.
    private static readonly byte[] SpecInput = [7, 7, 7, 8, 8, 7, 7, 6, 6];
    private static readonly byte[] SpecCodes = PackCodes((256, 9), (7, 9), (258, 9), (8, 9), (8, 9), (258, 9), (6, 9), (6, 9), (257, 9));

    [Fact]
    public void LzwEncode_SpecExample_MatchesKnownCodes()
    {
        var output = new byte[LzwCodec.MaxEncodedLength(SpecInput.Length)];
        int n = LzwCodec.Encode(SpecInput, output);
        Assert.Equal(SpecCodes, output[..n]);
    }

    [Fact]
    public void LzwDecode_SpecExample_MatchesKnownInput()
    {
        var output = new byte[SpecInput.Length];
        Assert.Equal(SpecInput.Length, LzwCodec.Decode(SpecCodes, output));
        Assert.Equal(SpecInput, output);
    }

    [Fact]
    public void LzwDecode_CodeDefinedByItself_DecodesKwKwK()
    {
        // "aaa": Clear, 'a', 258 (= "aa", used before the decoder has defined it), EOI.
        byte[] codes = PackCodes((256, 9), ('a', 9), (258, 9), (257, 9));
        var output = new byte[3];
        Assert.Equal(3, LzwCodec.Decode(codes, output));
        Assert.Equal("aaa"u8.ToArray(), output);
    }

    [Fact]
    public void LzwDecode_UndefinedCode_ThrowsInvalidData()
    {
        byte[] codes = PackCodes((256, 9), ('a', 9), (300, 9), (257, 9));
        Assert.Throws<InvalidDataException>(() => LzwCodec.Decode(codes, new byte[10]));
    }

    [Fact]
    public void LzwDecode_WidthChangesEarly_At511Entries()
    {
        // 253 literal codes after the first add entries 258..510; the decoder must then read 10-bit codes.
        var codes = new List<(int, int)> { (256, 9) };
        var expected = new List<byte>();
        for (int i = 0; i < 254; i++)
        {
            codes.Add((i, 9));
            expected.Add((byte)i);
        }
        codes.Add((1, 10));
        codes.Add((257, 10));
        expected.Add(1);
        var output = new byte[expected.Count];
        Assert.Equal(expected.Count, LzwCodec.Decode(PackCodes([.. codes]), output));
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(300_000)]
    public void LzwEncodeDecode_SeededData_RoundTrips(int length)
    {
        var random = new Random(20261121);
        var data = new byte[length];
        // Mixed content: runs, noise and repeating patterns exercise table growth, width changes and resets.
        for (int i = 0; i < length; i++) data[i] = (i / 5000 % 3) switch { 0 => (byte)random.Next(256), 1 => (byte)(i / 97), _ => (byte)(i % 13) };
        var encoded = new byte[LzwCodec.MaxEncodedLength(length)];
        int n = LzwCodec.Encode(data, encoded);
        var decoded = new byte[length];
        Assert.Equal(length, LzwCodec.Decode(encoded.AsSpan(0, n), decoded));
        Assert.Equal(data, decoded);
    }

    [Fact]
    public void LzwEncode_EndNearWidthChange_EndOfInformationReadable()
    {
        // Distinct bytes emit one code each, so the table crosses 511 entries near the end for these lengths; the
        // decoder must find EOI (it gets room for more output and trailing garbage, so a misread EOI would show as extra bytes or an error).
        for (int length = 240; length <= 300; length++)
        {
            byte[] data = Enumerable.Range(0, length).Select(i => (byte)(i * 7 + i / 256)).ToArray();
            var encoded = new byte[LzwCodec.MaxEncodedLength(length) + 2];
            int n = LzwCodec.Encode(data, encoded);
            encoded[n] = encoded[n + 1] = 0xFF; // trailing garbage must not be reached
            var decoded = new byte[length + 64];
            Assert.Equal(length, LzwCodec.Decode(encoded.AsSpan(0, n + 2), decoded));
            Assert.Equal(data, decoded[..length]);
        }
    }

    // TIFF 6.0 section 9 (PackBits) example.
    private static readonly byte[] PackBitsUnpacked = Convert.FromHexString("AAAAAA80002AAAAAAAAA80002A22AAAAAAAAAAAAAAAAAAAA");
    private static readonly byte[] PackBitsPacked = Convert.FromHexString("FEAA0280002AFDAA0380002A22F7AA");

    [Fact]
    public void PackBitsDecode_SpecExample_MatchesKnownOutput()
    {
        var output = new byte[PackBitsUnpacked.Length];
        Assert.Equal(output.Length, PackBitsCodec.Decode(PackBitsPacked, output));
        Assert.Equal(PackBitsUnpacked, output);
    }

    [Fact]
    public void PackBitsEncode_SpecExample_MatchesKnownOutput()
    {
        var output = new byte[PackBitsCodec.MaxEncodedLength(PackBitsUnpacked.Length)];
        int n = PackBitsCodec.Encode(PackBitsUnpacked, output);
        Assert.Equal(PackBitsPacked, output[..n]);
    }

    [Fact]
    public void PackBitsDecode_NoOpHeader_IsSkipped()
    {
        var output = new byte[2];
        Assert.Equal(2, PackBitsCodec.Decode([0x80, 0x01, 5, 6], output));
        Assert.Equal([5, 6], output);
    }

    [Fact]
    public void PackBitsDecode_TruncatedLiteral_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => PackBitsCodec.Decode([0x05, 1, 2], new byte[6]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(5000)]
    public void PackBitsEncodeDecode_SeededData_RoundTripsWithinBound(int length)
    {
        var random = new Random(20261121 + length);
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(i / 7);
        foreach (byte[] input in new[] { data, new byte[length], Enumerable.Range(0, length).Select(i => (byte)i).ToArray() })
        {
            var encoded = new byte[PackBitsCodec.MaxEncodedLength(length)];
            int n = PackBitsCodec.Encode(input, encoded);
            var decoded = new byte[length];
            Assert.Equal(length, PackBitsCodec.Decode(encoded.AsSpan(0, n), decoded));
            Assert.Equal(input, decoded);
        }
    }

    [Fact]
    public void HorizontalPredictor_EncodeDecode_RestoresRows()
    {
        var random = new Random(20261121);
        var data = new byte[4 * 6 * 8];
        random.NextBytes(data);
        foreach (int sampleBytes in new[] { 1, 2, 4, 8 })
        {
            byte[] copy = (byte[])data.Clone();
            HorizontalPredictor.Encode(copy, 48, sampleBytes);
            Assert.NotEqual(data, copy);
            HorizontalPredictor.Decode(copy, 48, sampleBytes);
            Assert.Equal(data, copy);
        }
    }
}
