using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Labelling;
using SimSeg.Simulation.Photokinetics;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>
/// One tracked object of a movie: its pose, its emitters in its body frame (x, y relative to the centre before
/// rotation by the pose's orientation; z absolute) with their blinking states, and, for unbranched tubes, the
/// control points of its centreline in the same frame, which curl, elongation, fission and fusion change.
/// The body frame is centred on the emitters' lateral centroid after every (re)labelling.
/// </summary>
internal sealed class MovieObject
{
    private float[] _x = [], _y = [], _z = [];
    private BlinkState[] _blink = [];

    public MovieObject(int trackId, ObjectClass objectClass, string kind, Rng rng)
    {
        TrackId = trackId;
        Class = objectClass;
        Kind = kind;
        Rng = rng;
    }

    public int TrackId { get; }

    public ObjectClass Class { get; }

    /// <summary>"tube", "curled", "branched", "sphere" or "mesh".</summary>
    public string Kind { get; set; }

    /// <summary>Labelling and blinking draws of this track only, so that a track does not depend on the others.</summary>
    public Rng Rng { get; }

    public int Parent1 { get; init; }

    public int Parent2 { get; init; }

    public ObjectPose Pose { get; set; }

    /// <summary>Centreline control points in the body frame (deformable tubes only), nm.</summary>
    public Vec3[]? Control { get; private set; }

    /// <summary>Tube radius (tubes only), nm.</summary>
    public double RadiusNm { get; init; }

    /// <summary>A running curl or elongation: the control points it started from and goes to, and how far it is.</summary>
    public (Vec3[] From, Vec3[] To, int Step, int Frames, string Kind)? Transition { get; set; }

    /// <summary>Frame the object appeared in.</summary>
    public int BornFrame { get; init; }

    public int EmitterCount { get; private set; }

    public bool Deformable => Control is not null;

    /// <summary>
    /// Labels a shape given in the body frame (replacing any emitters), re-centres the body frame on the
    /// emitters, and starts their blinking at <paramref name="startMs"/>.
    /// </summary>
    public void Label(IShape bodyShape, Vec3[]? control, LabellingOptions labelling, PhotokineticsOptions kinetics, double startMs)
    {
        var set = new EmitterSet(1024);
        var scene = new Scene(1, 1, [new SceneObject(1, Class, bodyShape, new Dictionary<string, double>(), Kind)]);
        EmitterSampler.Sample(scene, labelling, Rng, set);
        int n = set.Count;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++)
        {
            mx += set.X[i];
            my += set.Y[i];
        }
        if (n > 0)
        {
            mx /= n;
            my /= n;
        }
        _x = new float[n];
        _y = new float[n];
        _z = new float[n];
        _blink = new BlinkState[n];
        for (int i = 0; i < n; i++)
        {
            _x[i] = (float)(set.X[i] - mx);
            _y[i] = (float)(set.Y[i] - my);
            _z[i] = set.Z[i];
            _blink[i] = ContinuousBlinking.Start(kinetics, startMs, Rng);
        }
        EmitterCount = n;
        if (control is not null)
        {
            var shift = new Vec3(mx, my, 0);
            Control = control.Select(p => p - shift).ToArray();
        }
        else
        {
            Control = null;
        }
        (double x, double y) = ToWorld(mx, my);
        Pose = Pose with { XNm = x, YNm = y };
    }

    /// <summary>A body-frame point (nm) in the field.</summary>
    public (double X, double Y) ToWorld(double bx, double by)
    {
        (double sin, double cos) = Math.SinCos(Pose.OrientationRad);
        return (Pose.XNm + bx * cos - by * sin, Pose.YNm + bx * sin + by * cos);
    }

    /// <summary>A field point (nm) in the body frame.</summary>
    public (double X, double Y) ToBody(double wx, double wy)
    {
        (double sin, double cos) = Math.SinCos(Pose.OrientationRad);
        double dx = wx - Pose.XNm, dy = wy - Pose.YNm;
        return (dx * cos + dy * sin, -dx * sin + dy * cos);
    }

    /// <summary>
    /// Advances the blinking of every emitter through the exposure [start, end) and appends the emitters, at their
    /// field positions and with their photons, to <paramref name="destination"/>. Returns the photons emitted.
    /// </summary>
    public double Emit(PhotokineticsOptions kinetics, double exposureStartMs, double exposureEndMs, EmitterSet destination, List<float> photons)
    {
        (double sin, double cos) = Math.SinCos(Pose.OrientationRad);
        double cx = Pose.XNm, cy = Pose.YNm, total = 0;
        for (int i = 0; i < EmitterCount; i++)
        {
            float p = ContinuousBlinking.Advance(ref _blink[i], kinetics, exposureStartMs, exposureEndMs, Rng);
            destination.Add(cx + _x[i] * cos - _y[i] * sin, cy + _x[i] * sin + _y[i] * cos, _z[i], TrackId);
            photons.Add(p);
            total += p;
        }
        return total;
    }
}
