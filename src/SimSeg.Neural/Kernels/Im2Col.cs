namespace SimSeg.Neural.Kernels;

/// <summary>
/// Geometry of a 2-D convolution over one C×H×W image: square kernel, stride, zero padding and dilation, and the
/// resulting output size. The column matrix has C·K·K rows (channel-major, then kernel row, then kernel column,
/// as in OIHW weights) and OutHeight·OutWidth columns.
/// </summary>
/// <param name="Channels">Input channels C.</param>
/// <param name="Height">Input height H in pixels.</param>
/// <param name="Width">Input width W in pixels.</param>
/// <param name="Kernel">Kernel size K (K×K).</param>
/// <param name="Stride">Stride in pixels.</param>
/// <param name="Padding">Zero padding on each side in pixels.</param>
/// <param name="Dilation">Spacing between kernel taps in pixels.</param>
public readonly record struct ConvGeometry(int Channels, int Height, int Width, int Kernel, int Stride, int Padding, int Dilation)
{
    /// <summary>Output height: floor((H + 2P − D(K−1) − 1) / S) + 1.</summary>
    public int OutHeight => (Height + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;

    /// <summary>Output width: floor((W + 2P − D(K−1) − 1) / S) + 1.</summary>
    public int OutWidth => (Width + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;

    /// <summary>Rows of the column matrix: C·K·K.</summary>
    public int ColumnRows => Channels * Kernel * Kernel;

    /// <summary>Columns of the column matrix: OutHeight·OutWidth.</summary>
    public int ColumnCols => OutHeight * OutWidth;

    /// <summary>True when the column matrix is the image itself (1×1 kernel, stride 1, no padding).</summary>
    public bool IsIdentity => Kernel == 1 && Stride == 1 && Padding == 0;
}

/// <summary>
/// im2col and its adjoint col2im for <see cref="ConvGeometry"/>: <see cref="Pack(ReadOnlySpan{float}, Span{float}, ConvGeometry)"/>
/// copies every receptive field into a column (zeros outside the image);
/// <see cref="Accumulate(ReadOnlySpan{float}, Span{float}, ConvGeometry)"/> adds columns back into the image. Both also
/// work on a band of output rows, so a convolution can bound its workspace by processing the output a band at a time.
/// Parallel over rows (pack) or channels (accumulate); every element is written by one thread in a fixed order.
/// </summary>
public static unsafe class Im2Col
{
    private const int ParallelElements = 1 << 16;

    /// <summary>Fills <paramref name="columns"/> (ColumnRows × ColumnCols) from <paramref name="image"/> (C×H×W).</summary>
    public static void Pack(ReadOnlySpan<float> image, Span<float> columns, ConvGeometry g) => Pack(image, columns, g, 0, g.OutHeight);

    /// <summary>
    /// Fills <paramref name="columns"/> (ColumnRows × rowCount·OutWidth) with the receptive fields of output rows
    /// [<paramref name="firstRow"/>, firstRow + rowCount) of <paramref name="image"/> (C×H×W): the columns of the
    /// full column matrix for those rows, stored densely.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short for the geometry, or the rows are not within the output.</exception>
    public static void Pack(ReadOnlySpan<float> image, Span<float> columns, ConvGeometry g, int firstRow, int rowCount) =>
        Pack(image, columns, g, firstRow, rowCount, rowCount * g.OutWidth);

    /// <summary>
    /// Like <see cref="Pack(ReadOnlySpan{float}, Span{float}, ConvGeometry, int, int)"/> with column rows
    /// <paramref name="ldColumns"/> floats apart, so the columns of several images can sit side by side in one matrix.
    /// </summary>
    public static void Pack(ReadOnlySpan<float> image, Span<float> columns, ConvGeometry g, int firstRow, int rowCount, int ldColumns)
    {
        Check(image.Length, columns.Length, g, firstRow, rowCount, ldColumns);
        fixed (float* src = image, dst = columns)
        {
            nint s = (nint)src, d = (nint)dst;
            int rows = g.ColumnRows, r0 = firstRow, r1 = firstRow + rowCount;
            if (Environment.ProcessorCount > 1 && (long)rows * rowCount * g.OutWidth >= ParallelElements)
                Parallel.For(0, rows, r => PackRow(g, (float*)s, (float*)d, r, r0, r1, ldColumns));
            else
                for (int r = 0; r < rows; r++) PackRow(g, src, dst, r, r0, r1, ldColumns);
        }
    }

    /// <summary>Adds <paramref name="columns"/> (ColumnRows × ColumnCols) into <paramref name="image"/> (C×H×W), the adjoint of <see cref="Pack(ReadOnlySpan{float}, Span{float}, ConvGeometry)"/>.</summary>
    public static void Accumulate(ReadOnlySpan<float> columns, Span<float> image, ConvGeometry g) => Accumulate(columns, image, g, 0, g.OutHeight);

    /// <summary>
    /// Adds <paramref name="columns"/> (ColumnRows × rowCount·OutWidth, the columns of output rows
    /// [<paramref name="firstRow"/>, firstRow + rowCount)) into <paramref name="image"/> (C×H×W), the adjoint of
    /// <see cref="Pack(ReadOnlySpan{float}, Span{float}, ConvGeometry, int, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short for the geometry, or the rows are not within the output.</exception>
    public static void Accumulate(ReadOnlySpan<float> columns, Span<float> image, ConvGeometry g, int firstRow, int rowCount) =>
        Accumulate(columns, image, g, firstRow, rowCount, rowCount * g.OutWidth);

    /// <summary>The adjoint of <see cref="Pack(ReadOnlySpan{float}, Span{float}, ConvGeometry, int, int, int)"/>: column rows <paramref name="ldColumns"/> floats apart.</summary>
    public static void Accumulate(ReadOnlySpan<float> columns, Span<float> image, ConvGeometry g, int firstRow, int rowCount, int ldColumns)
    {
        Check(image.Length, columns.Length, g, firstRow, rowCount, ldColumns);
        fixed (float* src = columns, dst = image)
        {
            nint s = (nint)src, d = (nint)dst;
            int r0 = firstRow, r1 = firstRow + rowCount;
            if (Environment.ProcessorCount > 1 && g.Channels > 1 && (long)g.ColumnRows * rowCount * g.OutWidth >= ParallelElements)
                Parallel.For(0, g.Channels, c => AccumulateChannel(g, (float*)s, (float*)d, c, r0, r1, ldColumns));
            else
                for (int c = 0; c < g.Channels; c++) AccumulateChannel(g, src, dst, c, r0, r1, ldColumns);
        }
    }

    private static void Check(int imageLength, int columnsLength, ConvGeometry g, int firstRow, int rowCount, int ldColumns)
    {
        if (g.OutHeight <= 0 || g.OutWidth <= 0) throw new ArgumentException($"geometry {g} gives an empty output.", nameof(g));
        if (firstRow < 0 || rowCount < 1 || firstRow > g.OutHeight - rowCount)
            throw new ArgumentException($"output rows [{firstRow}, {(long)firstRow + rowCount}) are not a non-empty range within the {g.OutHeight} rows of {g}.", nameof(firstRow));
        if (imageLength < g.Channels * g.Height * g.Width) throw new ArgumentException($"image holds {imageLength} elements; {g} needs {g.Channels * g.Height * g.Width}.", "image");
        if (ldColumns < rowCount * g.OutWidth)
            throw new ArgumentException($"ldColumns is {ldColumns}; a column row of {rowCount} output rows holds {rowCount * g.OutWidth} floats.", nameof(ldColumns));
        long need = (long)(g.ColumnRows - 1) * ldColumns + rowCount * g.OutWidth;
        if (columnsLength < need) throw new ArgumentException($"columns holds {columnsLength} elements; {rowCount} output rows of {g} need {need}.", "columns");
    }

    /// <summary>Valid output range [lo, hi) along one axis for kernel offset <paramref name="offset"/> (= tap·D − P).</summary>
    private static void ValidRange(int offset, int stride, int size, int outSize, out int lo, out int hi)
    {
        // Need 0 <= o*stride + offset < size.
        lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        hi = size - offset <= 0 ? 0 : (size - offset - 1) / stride + 1;
        if (hi > outSize) hi = outSize;
        if (lo > hi) lo = hi;
    }

    private static void PackRow(ConvGeometry g, float* image, float* columns, int row, int r0, int r1, int ld)
    {
        int kk = g.Kernel * g.Kernel;
        int c = row / kk, ky = row % kk / g.Kernel, kx = row % g.Kernel;
        int ow = g.OutWidth, s = g.Stride;
        int offY = ky * g.Dilation - g.Padding, offX = kx * g.Dilation - g.Padding;
        ValidRange(offY, s, g.Height, g.OutHeight, out int y0, out int y1);
        ValidRange(offX, s, g.Width, ow, out int x0, out int x1);
        y0 = Math.Clamp(y0, r0, r1);
        y1 = Math.Clamp(y1, r0, r1);
        float* dst = columns + (long)row * ld;
        float* plane = image + (long)c * g.Height * g.Width;
        new Span<float>(dst, (y0 - r0) * ow).Clear();
        for (int oy = y0; oy < y1; oy++)
        {
            float* d = dst + (oy - r0) * ow;
            float* srow = plane + (oy * s + offY) * g.Width + offX;
            new Span<float>(d, x0).Clear();
            if (s == 1) new ReadOnlySpan<float>(srow + x0, x1 - x0).CopyTo(new Span<float>(d + x0, x1 - x0));
            else for (int ox = x0; ox < x1; ox++) d[ox] = srow[ox * s];
            new Span<float>(d + x1, ow - x1).Clear();
        }
        new Span<float>(dst + (y1 - r0) * ow, (r1 - y1) * ow).Clear();
    }

    private static void AccumulateChannel(ConvGeometry g, float* columns, float* image, int c, int r0, int r1, int ld)
    {
        int ow = g.OutWidth, s = g.Stride;
        float* plane = image + (long)c * g.Height * g.Width;
        for (int ky = 0; ky < g.Kernel; ky++)
        {
            for (int kx = 0; kx < g.Kernel; kx++)
            {
                int row = (c * g.Kernel + ky) * g.Kernel + kx;
                int offY = ky * g.Dilation - g.Padding, offX = kx * g.Dilation - g.Padding;
                ValidRange(offY, s, g.Height, g.OutHeight, out int y0, out int y1);
                ValidRange(offX, s, g.Width, ow, out int x0, out int x1);
                y0 = Math.Clamp(y0, r0, r1);
                y1 = Math.Clamp(y1, r0, r1);
                float* src = columns + (long)row * ld;
                for (int oy = y0; oy < y1; oy++)
                {
                    float* srow = src + (oy - r0) * ow;
                    float* drow = plane + (oy * s + offY) * g.Width + offX;
                    if (s == 1) AddTo(srow + x0, drow + x0, x1 - x0);
                    else for (int ox = x0; ox < x1; ox++) drow[ox * s] += srow[ox];
                }
            }
        }
    }

    private static void AddTo(float* x, float* y, int count)
    {
        int i = 0;
        for (; i <= count - 8; i += 8)
            System.Runtime.Intrinsics.Vector256.Store(System.Runtime.Intrinsics.Vector256.Load(x + i) + System.Runtime.Intrinsics.Vector256.Load(y + i), y + i);
        for (; i < count; i++) y[i] += x[i];
    }
}
