using System.Runtime.InteropServices;
using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Camera;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Labelling;
using SimSeg.Simulation.Photokinetics;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>
/// Simulates time-lapse movies of a preset's structures (PhySeg, Sekh et al., Nat. Mach. Intell. 2021: "for
/// videos, blinking and bleaching create frame-to-frame variability"): objects diffuse, drift, rotate, curl,
/// elongate, divide and fuse (<see cref="MovieOptions"/>); each keeps a true track id for as long as it exists.
/// Every frame goes through the preset's labelling, photokinetics, optics (<see cref="FieldSimulator.Renderer"/>)
/// and camera, and gets the physics-based ground truth (PhySeg Fig. 1f) with track ids as instance values.
/// </summary>
/// <remarks>
/// <para>
/// Randomness, for seed s: the scene, motion and morphology decisions come from stream (s, 0), run frame by
/// frame; labelling and blinking of track k from stream (mix(s, 1), k); the camera levels from stream
/// (mix(s, 2), 0); the camera noise of frame f from stream (mix(s, 3), f). Frames are rendered in parallel in
/// batches after their states are computed in order, so a movie depends on its seed alone, not on the thread count.
/// </para>
/// <para>
/// Camera: the background and signal-to-background ratio are drawn once, and the photon scale is set from the
/// first frame's peak, then kept: so bleaching shows as falling counts instead of being normalised away.
/// Only the in-focus plane (<see cref="MicroscopeSettings.FocalPlaneZNm"/>) is rendered; z-stack presets give
/// single-plane movies. The mask is always the physics-based ground truth, whatever the preset's method.
/// </para>
/// </remarks>
public sealed class MovieSimulator
{
    private readonly FieldSimulator _field;

    /// <summary>Prepares the optics of <paramref name="preset"/> for movies described by <paramref name="options"/> (both validated).</summary>
    /// <exception cref="ArgumentException">An option or preset setting is invalid (the message names it).</exception>
    public MovieSimulator(Preset preset, MovieOptions options)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _field = new FieldSimulator(preset);
        Options = options;
        Photokinetics = options.Photokinetics ?? _field.Preset.Photokinetics;
        Photokinetics.Validate();
    }

    /// <summary>The preset (with its mesh library loaded).</summary>
    public Preset Preset => _field.Preset;

    /// <summary>The movie options.</summary>
    public MovieOptions Options { get; }

    /// <summary>Blinking, bleaching and frame timing used (the options' override, else the preset's).</summary>
    public PhotokineticsOptions Photokinetics { get; }

    /// <summary>
    /// Simulates the movie for <paramref name="seed"/>. <paramref name="progress"/> is called on the calling
    /// thread with the frames finished so far and the total.
    /// </summary>
    public SimulatedMovie Simulate(ulong seed, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        int frames = Options.Frames, width = Options.Width, height = Options.Height, n = width * height;
        double pixel = Preset.Microscope.PixelSizeNm, focus = Preset.Microscope.FocalPlaneZNm;
        var calibration = Calibration.Square(pixel);
        var movie = new Image<ushort>(width, height, frames, calibration);
        var masks = new Image<byte>(width, height, frames, calibration);
        var tracks = new Image<ushort>(width, height, frames, calibration);
        var classes = new Image<byte>(width, height, frames, calibration);
        var points = new List<TrackPoint>();
        var emitted = new double[frames];
        var dynamics = new MovieDynamics(Preset, Options, Photokinetics, seed);
        CameraLevels? levels = null;
        int batch = 2 * Options.Threads;
        var snapshots = new Snapshot[batch];
        var signals = new float[batch][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads, CancellationToken = cancellationToken };
        progress?.Invoke(0, frames);

        for (int first = 0; first < frames; first += batch)
        {
            int count = Math.Min(batch, frames - first);
            // 1. States in frame order (sequential: each frame follows from the last).
            for (int b = 0; b < count; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int f = first + b;
                if (f > 0) dynamics.Step(f);
                snapshots[b] = Capture(dynamics, f, points, out emitted[f]);
            }

            // 2. Optics and ground truth, one frame per worker.
            Parallel.For(0, count, parallel, b =>
            {
                Snapshot s = snapshots[b];
                float[] signal = signals[b] ??= new float[n];
                Array.Clear(signal);
                _field.Renderer.Render(s.Emitters.X, s.Emitters.Y, s.Emitters.Z, s.Photons, focus, signal, width, height);
                GroundTruthImages truth = GroundTruthBuilder.Physics(s.Emitters, s.ClassOfTrack, width, height, pixel, Preset.GroundTruth.MinEmittersPerPixel);
                int f = first + b;
                truth.Mask.Data.CopyTo(masks.Plane(f));
                truth.Instances.Data.CopyTo(tracks.Plane(f));
                truth.Classes.Data.CopyTo(classes.Plane(f));
            });

            // 3. Camera: levels from the first frame, then the same scale and background for every frame.
            int exposed = 0;
            if (levels is null)
            {
                levels = CameraModel.Expose(Preset.Camera, signals[0], Rng.ForStream(Rng.Mix(seed, 2), 0));
                exposed = 1;
            }
            CameraLevels l = levels.Value;
            Parallel.For(0, count, parallel, b =>
            {
                float[] signal = signals[b];
                if (b >= exposed)
                {
                    float scale = (float)l.PhotonScale, background = (float)l.BackgroundPhotons;
                    for (int i = 0; i < signal.Length; i++) signal[i] = signal[i] * scale + background;
                }
                int f = first + b;
                CameraModel.Digitise(Preset.Camera, signal, Rng.ForStream(Rng.Mix(seed, 3), (ulong)f), movie.Plane(f));
            });
            progress?.Invoke(first + count, frames);
        }
        return new SimulatedMovie(movie, masks, tracks, classes, points, [.. dynamics.Events], emitted, levels!.Value);
    }

    /// <summary>The emitters of one frame at their field positions, with their photons, tagged with track ids.</summary>
    private sealed record Snapshot(EmitterSet Emitters, float[] Photons, ObjectClass[] ClassOfTrack);

    private Snapshot Capture(MovieDynamics dynamics, int frame, List<TrackPoint> points, out double emitted)
    {
        double start = frame * Photokinetics.FrameIntervalMs, end = start + Photokinetics.ExposureMs;
        int total = 0;
        foreach (MovieObject o in dynamics.Objects) total += o.EmitterCount;
        var emitters = new EmitterSet(total);
        var photons = new List<float>(total);
        if (dynamics.MaxTrackId > ushort.MaxValue)
            throw new InvalidOperationException($"the movie needs {dynamics.MaxTrackId} track ids; track images hold at most {ushort.MaxValue}.");
        var classOfTrack = new ObjectClass[dynamics.MaxTrackId + 1];
        emitted = 0;
        foreach (MovieObject o in dynamics.Objects)
        {
            emitted += o.Emit(Photokinetics, start, end, emitters, photons);
            classOfTrack[o.TrackId] = o.Class;
            points.Add(new TrackPoint(frame, o.TrackId, o.Class, o.Pose.XNm, o.Pose.YNm, o.Pose.OrientationRad, o.EmitterCount, o.Parent1, o.Parent2));
        }
        return new Snapshot(emitters, CollectionsMarshal.AsSpan(photons).ToArray(), classOfTrack);
    }
}
