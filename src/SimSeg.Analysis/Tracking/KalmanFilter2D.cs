using SimSeg.Core;

namespace SimSeg.Analysis.Tracking;

/// <summary>
/// Constant-velocity Kalman filter in the image plane (Kalman 1960; the tracking model of Sekh et al., Nat. Mach.
/// Intell. 2021). State (x, y, vx, vy) in pixels and pixels per frame; measurements are positions (x, y).
/// </summary>
/// <remarks>
/// Motion model per frame step dt = 1: x ← x + vx, v ← v, with process noise from a white random acceleration of
/// variance <c>q</c> (px²/frame⁴): Q = q·[[1/4, 1/2], [1/2, 1]] per axis (the discrete white-noise acceleration model,
/// Bar-Shalom, Li &amp; Kirubarajan 2001, §6.3.3). Measurement noise R = r·I (px²). The axes are independent, so the
/// 4×4 covariance is kept as two 2×2 blocks (position, velocity per axis) with identical values for x and y.
/// </remarks>
public sealed class KalmanFilter2D
{
    private readonly double _q;
    private readonly double _r;
    // State.
    private double _x, _y, _vx, _vy;
    // Per-axis covariance [[pPP, pPV], [pPV, pVV]] (same for both axes).
    private double _pPP, _pPV, _pVV;

    /// <summary>Starts a filter at a first measured position with unknown velocity.</summary>
    /// <param name="x">Column position (px).</param>
    /// <param name="y">Row position (px).</param>
    /// <param name="processNoise">q, variance of the random acceleration (px²/frame⁴), ≥ 0.</param>
    /// <param name="measurementNoise">r, variance of a measured position (px²), &gt; 0.</param>
    /// <param name="initialVelocityVariance">Prior variance of each velocity component (px²/frame²), &gt; 0; large
    /// means "unknown" so the second measurement sets the velocity.</param>
    public KalmanFilter2D(double x, double y, double processNoise, double measurementNoise, double initialVelocityVariance = 1e4)
    {
        Guard.Finite(x);
        Guard.Finite(y);
        Guard.NonNegative(processNoise);
        Guard.Positive(measurementNoise);
        Guard.Positive(initialVelocityVariance);
        _q = processNoise;
        _r = measurementNoise;
        _x = x;
        _y = y;
        _pPP = measurementNoise;
        _pVV = initialVelocityVariance;
    }

    /// <summary>Estimated column position (px).</summary>
    public double X => _x;

    /// <summary>Estimated row position (px).</summary>
    public double Y => _y;

    /// <summary>Estimated column velocity (px/frame).</summary>
    public double Vx => _vx;

    /// <summary>Estimated row velocity (px/frame).</summary>
    public double Vy => _vy;

    /// <summary>Variance of each estimated position component (px²).</summary>
    public double PositionVariance => _pPP;

    /// <summary>Variance of each estimated velocity component (px²/frame²).</summary>
    public double VelocityVariance => _pVV;

    /// <summary>Advances the state by one frame: x ← x + v, P ← F P Fᵀ + Q.</summary>
    public void Predict()
    {
        _x += _vx;
        _y += _vy;
        double pp = _pPP + 2 * _pPV + _pVV + _q / 4;
        double pv = _pPV + _pVV + _q / 2;
        double vv = _pVV + _q;
        _pPP = pp;
        _pPV = pv;
        _pVV = vv;
    }

    /// <summary>Corrects the state with a measured position (px).</summary>
    public void Update(double measuredX, double measuredY)
    {
        double s = _pPP + _r;       // innovation variance per axis
        double kP = _pPP / s, kV = _pPV / s;
        double ix = measuredX - _x, iy = measuredY - _y;
        _x += kP * ix;
        _y += kP * iy;
        _vx += kV * ix;
        _vy += kV * iy;
        // P ← (I − K H) P
        double pp = (1 - kP) * _pPP;
        double pv = (1 - kP) * _pPV;
        double vv = _pVV - kV * _pPV;
        _pPP = pp;
        _pPV = pv;
        _pVV = vv;
    }

    /// <summary>Euclidean distance (px) from the current estimate to a position.</summary>
    public double EuclideanDistance(double x, double y) => Math.Sqrt((x - _x) * (x - _x) + (y - _y) * (y - _y));

    /// <summary>
    /// Mahalanobis distance of a position from the current estimate: sqrt(νᵀ S⁻¹ ν) with innovation ν and innovation
    /// covariance S = H P Hᵀ + R (dimensionless; a gate of 3 keeps about 99% of true measurements in 2D: χ²₂).
    /// </summary>
    public double MahalanobisDistance(double x, double y)
    {
        double s = _pPP + _r;
        return Math.Sqrt(((x - _x) * (x - _x) + (y - _y) * (y - _y)) / s);
    }
}
