using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Labelling;
using SimSeg.Simulation.Photokinetics;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>
/// The objects of a movie from frame to frame: the initial scene (drawn by <see cref="SceneGenerator"/>), then
/// per frame curl and elongation (control points moving linearly to a target over a few frames), fission,
/// fusion and rigid motion (<see cref="MotionModel"/>). Decisions and motion draw from one sequential stream;
/// each track labels and blinks from a stream of its own, keyed by its track id.
/// </summary>
internal sealed class MovieDynamics
{
    private readonly MovieOptions _options;
    private readonly SceneOptions _scene;
    private readonly LabellingOptions _labelling;
    private readonly PhotokineticsOptions _kinetics;
    private readonly Rng _rng;
    private readonly ulong _trackSeed;
    private readonly double _pixelNm, _widthNm, _heightNm, _stepNm;
    private readonly List<MovieObject> _objects = [];
    private readonly List<TruthEvent> _events = [];
    private int _nextTrackId = 1;

    public MovieDynamics(Preset preset, MovieOptions options, PhotokineticsOptions kinetics, ulong seed)
    {
        _options = options;
        _labelling = preset.Labelling;
        _kinetics = kinetics;
        _pixelNm = preset.Microscope.PixelSizeNm;
        _widthNm = options.Width * _pixelNm;
        _heightNm = options.Height * _pixelNm;
        _stepNm = preset.Scene.Mitochondria.CenterlineStepNm;
        _rng = Rng.ForStream(seed, 0);
        _trackSeed = Rng.Mix(seed, 1);

        double tiles = options.Width * (double)options.Height / (128 * 128);
        int mitochondria = options.MitochondriaCount ?? Scaled(preset.Scene.MitochondriaPerField, tiles, _rng);
        int vesicles = options.VesicleCount ?? Scaled(preset.Scene.VesiclesPerField, tiles, _rng);
        int meshes = options.MitochondriaCount is null ? Scaled(preset.Scene.MeshesPerField, tiles, _rng) : 0;
        _scene = preset.Scene with
        {
            FieldWidthNm = _widthNm,
            FieldHeightNm = _heightNm,
            MarginNm = Math.Min(options.BorderMarginNm, 0.45 * Math.Min(_widthNm, _heightNm)),
            MitochondriaPerField = new IntInterval(mitochondria, mitochondria),
            VesiclesPerField = new IntInterval(vesicles, vesicles),
            MeshesPerField = new IntInterval(meshes, meshes),
        };
        Scene initial = SceneGenerator.Generate(_scene, _rng);
        foreach (SceneObject o in initial.Objects)
        {
            var obj = new MovieObject(_nextTrackId, o.Class, o.Kind, TrackRng(_nextTrackId))
            {
                RadiusNm = o.Shape is CapsuleShape c ? c.RadiusNm : 0,
                Pose = MotionModel.Start(0, 0, 0, options, _rng),
            };
            _nextTrackId++;
            // The body frame starts as the field frame; labelling moves its origin to the emitters' centroid.
            if (o.Shape is TubeShape tube)
            {
                Vec3[] line = [.. tube.Centerline];
                Vec3[] control = Resample(line, ControlCount(Length(line)));
                obj.Label(TubeAlong(control, obj.RadiusNm), control, _labelling, _kinetics, 0);
            }
            else
            {
                obj.Label(o.Shape, null, _labelling, _kinetics, 0);
            }
            _objects.Add(obj);
        }
    }

    /// <summary>The live objects, by track id.</summary>
    public IReadOnlyList<MovieObject> Objects => _objects;

    /// <summary>Fissions and fusions so far.</summary>
    public IReadOnlyList<TruthEvent> Events => _events;

    /// <summary>The largest track id handed out so far.</summary>
    public int MaxTrackId => _nextTrackId - 1;

    /// <summary>Moves the objects from frame <paramref name="frame"/> − 1 to <paramref name="frame"/>.</summary>
    public void Step(int frame)
    {
        double startMs = frame * _kinetics.FrameIntervalMs;
        var born = new List<MovieObject>();
        var ended = new HashSet<int>();

        // Shape changes of single tubes.
        foreach (MovieObject obj in _objects)
        {
            if (!obj.Deformable) continue;
            if (obj.Transition is not null)
            {
                AdvanceTransition(obj, startMs);
                continue;
            }
            if (_rng.NextDouble() < _options.FissionProbability && TryFission(obj, frame, startMs, born))
            {
                ended.Add(obj.TrackId);
                continue;
            }
            if (obj.Kind != "curled" && _rng.NextDouble() < _options.CurlProbability && CanCurl(obj.Control!))
            {
                obj.Transition = (obj.Control!, CurlTarget(obj.Control!), 0, _options.MorphologyFrames, "curled");
                AdvanceTransition(obj, startMs);
            }
            else if (_rng.NextDouble() < _options.ElongateProbability)
            {
                Vec3[]? target = ElongationTarget(obj.Control!);
                if (target is not null)
                {
                    obj.Transition = (obj.Control!, target, 0, _options.MorphologyFrames, obj.Kind);
                    AdvanceTransition(obj, startMs);
                }
            }
        }

        // Fusion of tubes whose ends meet (objects born or changed in this frame wait for the next).
        if (_options.FusionProbability > 0) Fuse(frame, startMs, born, ended);

        _objects.RemoveAll(o => ended.Contains(o.TrackId));
        _objects.AddRange(born);
        foreach (MovieObject obj in _objects) obj.Pose = MotionModel.Step(obj.Pose, _options, _widthNm, _heightNm, _rng);
    }

    private Rng TrackRng(int trackId) => Rng.ForStream(_trackSeed, (ulong)trackId);

    private static int Scaled(IntInterval perTile, double tiles, Rng rng) =>
        rng.NextInt((int)Math.Round(perTile.Min * tiles), (int)Math.Round(perTile.Max * tiles));

    private void AdvanceTransition(MovieObject obj, double startMs)
    {
        var (from, to, step, frames, kind) = obj.Transition!.Value;
        step++;
        double t = step / (double)frames;
        var control = new Vec3[from.Length];
        for (int k = 0; k < control.Length; k++) control[k] = from[k] + (to[k] - from[k]) * t;
        obj.Transition = step >= frames ? null : (from, to, step, frames, kind);
        if (step >= frames) obj.Kind = kind;
        if (!Distinct(control)) return; // degenerate in-between shape: keep the last one for this frame
        // Labelling re-centres the body frame; the transition's end points move with it.
        obj.Label(TubeAlong(control, obj.RadiusNm), control, _labelling, _kinetics, startMs);
        Vec3 shift = obj.Control![0] - control[0];
        if (obj.Transition is { } running)
            obj.Transition = (Shift(running.From, shift), Shift(running.To, shift), running.Step, running.Frames, running.Kind);
    }

    /// <summary>A tube curls only when its arc would not exceed the preset's largest curl radius (no giant rings).</summary>
    private bool CanCurl(Vec3[] control) =>
        Length(TubeLine(control)) <= _scene.Mitochondria.CurlSweepDegrees * Math.PI / 180 * _scene.Mitochondria.CurlRadiusRangeNm.Max;

    /// <summary>An arc of the same length (swept by the preset's curl angle) bending to a random side, centred where the tube is.</summary>
    private Vec3[] CurlTarget(Vec3[] control)
    {
        int n = control.Length;
        double length = Length(TubeLine(control));
        double sweep = _scene.Mitochondria.CurlSweepDegrees * Math.PI / 180;
        double radius = length / sweep;
        double side = _rng.NextDouble() < 0.5 ? -1 : 1;
        Vec3 chord = control[^1] - control[0];
        double alpha = Math.Atan2(chord.Y, chord.X);
        (double sa, double ca) = Math.SinCos(alpha);
        var arc = new Vec3[n];
        for (int k = 0; k < n; k++)
        {
            // Along the chord (u) and across it (v), the arc's midpoint at the origin.
            double phi = sweep * (k / (double)(n - 1) - 0.5);
            double u = radius * Math.Sin(phi), v = side * radius * (1 - Math.Cos(phi));
            arc[k] = new Vec3(u * ca - v * sa, u * sa + v * ca, control[k].Z);
        }
        Vec3 offset = Centroid(control) - Centroid(arc);
        return Shift(arc, new Vec3(offset.X, offset.Y, 0));
    }

    /// <summary>The control points stretched laterally about their centroid by the elongation factor; null when too long.</summary>
    private Vec3[]? ElongationTarget(Vec3[] control)
    {
        double f = _options.ElongationFactor;
        if (Length(TubeLine(control)) * f > 2 * _scene.Mitochondria.MaxArcLengthNm) return null;
        Vec3 c = Centroid(control);
        return control.Select(p => new Vec3(c.X + (p.X - c.X) * f, c.Y + (p.Y - c.Y) * f, p.Z)).ToArray();
    }

    private bool TryFission(MovieObject parent, int frame, double startMs, List<MovieObject> born)
    {
        Vec3[] line = TubeLine(parent.Control!);
        double length = Length(line);
        double gap = 2 * parent.RadiusNm + 2 * _pixelNm;
        double cut = _rng.Uniform(0.3, 0.7) * length;
        double endA = cut - 0.5 * gap, startB = cut + 0.5 * gap;
        if (endA < _options.MinFragmentLengthNm || length - startB < _options.MinFragmentLengthNm) return false;
        var children = new List<int>(2);
        foreach ((double a, double b) in new[] { (0.0, endA), (startB, length) })
        {
            Vec3[] piece = Cut(line, a, b);
            Vec3[] control = Resample(piece, ControlCount(b - a));
            var child = new MovieObject(_nextTrackId, ObjectClass.Mitochondrion, "tube", TrackRng(_nextTrackId))
            {
                Parent1 = parent.TrackId,
                RadiusNm = parent.RadiusNm,
                BornFrame = frame,
                Pose = parent.Pose,
            };
            _nextTrackId++;
            child.Label(TubeAlong(control, child.RadiusNm), control, _labelling, _kinetics, startMs);
            born.Add(child);
            children.Add(child.TrackId);
        }
        _events.Add(new TruthEvent(frame, TruthEventKind.Fission, [parent.TrackId], children));
        return true;
    }

    private void Fuse(int frame, double startMs, List<MovieObject> born, HashSet<int> ended)
    {
        var candidates = _objects.Where(o => o.Deformable && o.Transition is null && !ended.Contains(o.TrackId)).ToList();
        var lines = candidates.Select(o => TubeLine(o.Control!)).ToList();
        var ends = new List<(Vec3 First, Vec3 Last)>(candidates.Count);
        for (int i = 0; i < candidates.Count; i++) ends.Add((World(candidates[i], lines[i][0]), World(candidates[i], lines[i][^1])));
        var used = new HashSet<int>();
        for (int i = 0; i < candidates.Count; i++)
        {
            MovieObject a = candidates[i];
            if (used.Contains(a.TrackId)) continue;
            for (int j = i + 1; j < candidates.Count; j++)
            {
                MovieObject b = candidates[j];
                if (used.Contains(b.TrackId)) continue;
                if (a.Parent1 != 0 && a.Parent2 == 0 && b.Parent1 == a.Parent1 && b.Parent2 == 0) continue; // siblings of one fission do not re-fuse
                // The closest pair of ends: aLast/bFirst say which end of each meets the other.
                (double d, bool aLast, bool bFirst) best = (double.PositiveInfinity, true, true);
                foreach (bool al in new[] { true, false })
                    foreach (bool bf in new[] { true, false })
                    {
                        double d = Vec3.Distance(al ? ends[i].Last : ends[i].First, bf ? ends[j].First : ends[j].Last);
                        if (d < best.d) best = (d, al, bf);
                    }
                if (best.d - a.RadiusNm - b.RadiusNm > _options.FusionDistanceNm) continue;
                double la = Length(lines[i]), lb = Length(lines[j]);
                if (la + lb > 2 * _scene.Mitochondria.MaxArcLengthNm) continue; // networks this long are beyond the tube model
                if (_rng.NextDouble() >= _options.FusionProbability) continue;

                // Join in a's body frame: a's meeting end last, then b from its meeting end.
                var joined = new List<Vec3>(best.aLast ? lines[i] : lines[i].Reverse());
                IEnumerable<Vec3> bLine = best.bFirst ? lines[j] : lines[j].Reverse();
                foreach (Vec3 p in bLine)
                {
                    Vec3 w = World(b, p);
                    (double x, double y) = a.ToBody(w.X, w.Y);
                    joined.Add(new Vec3(x, y, p.Z));
                }
                Vec3[] line = [.. joined];
                Vec3[] control = Resample(line, ControlCount(Length(line)));
                var child = new MovieObject(_nextTrackId, ObjectClass.Mitochondrion, "tube", TrackRng(_nextTrackId))
                {
                    Parent1 = a.TrackId,
                    Parent2 = b.TrackId,
                    RadiusNm = (a.RadiusNm * la + b.RadiusNm * lb) / (la + lb),
                    BornFrame = frame,
                    Pose = a.Pose with
                    {
                        VelocityXNm = 0.5 * (a.Pose.VelocityXNm + b.Pose.VelocityXNm),
                        VelocityYNm = 0.5 * (a.Pose.VelocityYNm + b.Pose.VelocityYNm),
                    },
                };
                _nextTrackId++;
                child.Label(TubeAlong(control, child.RadiusNm), control, _labelling, _kinetics, startMs);
                born.Add(child);
                used.Add(a.TrackId);
                used.Add(b.TrackId);
                ended.Add(a.TrackId);
                ended.Add(b.TrackId);
                _events.Add(new TruthEvent(frame, TruthEventKind.Fusion, [a.TrackId, b.TrackId], [child.TrackId]));
                break;
            }
        }
    }

    private static Vec3 World(MovieObject obj, Vec3 body)
    {
        (double x, double y) = obj.ToWorld(body.X, body.Y);
        return new Vec3(x, y, body.Z);
    }

    /// <summary>The centreline polyline through the control points (spline sampled every centreline step).</summary>
    private Vec3[] TubeLine(Vec3[] control) => new CenterlineSpline(control).Sample(_stepNm);

    private TubeShape TubeAlong(Vec3[] control, double radiusNm) => new(TubeLine(control), radiusNm);

    /// <summary>Control points for a centreline of this length: one per 400 nm, 4 to 40.</summary>
    internal static int ControlCount(double lengthNm) => Math.Clamp((int)Math.Ceiling(lengthNm / 400) + 1, 4, 40);

    internal static double Length(IReadOnlyList<Vec3> line)
    {
        double length = 0;
        for (int i = 1; i < line.Count; i++) length += Vec3.Distance(line[i - 1], line[i]);
        return length;
    }

    /// <summary><paramref name="count"/> points equally spaced in arc length along <paramref name="line"/>, both ends included.</summary>
    internal static Vec3[] Resample(Vec3[] line, int count)
    {
        double length = Length(line);
        var result = new Vec3[count];
        for (int k = 0; k < count; k++) result[k] = PointAt(line, length * k / (count - 1));
        return result;
    }

    /// <summary>The part of <paramref name="line"/> between arc lengths <paramref name="from"/> and <paramref name="to"/>.</summary>
    internal static Vec3[] Cut(Vec3[] line, double from, double to)
    {
        var result = new List<Vec3> { PointAt(line, from) };
        double s = 0;
        for (int i = 1; i < line.Length; i++)
        {
            s += Vec3.Distance(line[i - 1], line[i]);
            if (s > from && s < to) result.Add(line[i]);
        }
        result.Add(PointAt(line, to));
        return [.. result];
    }

    private static Vec3 PointAt(Vec3[] line, double arc)
    {
        double s = 0;
        for (int i = 1; i < line.Length; i++)
        {
            double h = Vec3.Distance(line[i - 1], line[i]);
            if (s + h >= arc && h > 0) return line[i - 1] + (line[i] - line[i - 1]) * Math.Clamp((arc - s) / h, 0, 1);
            s += h;
        }
        return line[^1];
    }

    private static bool Distinct(Vec3[] control)
    {
        for (int i = 1; i < control.Length; i++)
            if (!(Vec3.Distance(control[i - 1], control[i]) > 1)) return false;
        return true;
    }

    private static Vec3 Centroid(Vec3[] points)
    {
        Vec3 sum = Vec3.Zero;
        foreach (Vec3 p in points) sum += p;
        return sum / points.Length;
    }

    private static Vec3[] Shift(Vec3[] points, Vec3 shift) => points.Select(p => p + shift).ToArray();
}
