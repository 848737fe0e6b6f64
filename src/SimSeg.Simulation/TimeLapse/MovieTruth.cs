using SimSeg.Core.Imaging;
using SimSeg.Simulation.Camera;
using SimSeg.Simulation.Geometry;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>One object in one frame of a movie: the true track and where it is.</summary>
/// <param name="Frame">0-based frame.</param>
/// <param name="TrackId">True track id, the object's value in the track images; constant while the object exists.</param>
/// <param name="Class">Mitochondrion or vesicle.</param>
/// <param name="XNm">Centre x (centroid of the object's emitters), nm from the field's left edge.</param>
/// <param name="YNm">Centre y, nm from the field's top edge.</param>
/// <param name="OrientationRad">In-plane orientation of the object's body frame, rad (relative to its first frame).</param>
/// <param name="Emitters">Fluorophores labelling the object in this frame.</param>
/// <param name="Parent1">Track the object came from (fission) or the first of two fused tracks; 0 for none.</param>
/// <param name="Parent2">The second fused track; 0 for none.</param>
public readonly record struct TrackPoint(int Frame, int TrackId, ObjectClass Class, double XNm, double YNm, double OrientationRad, int Emitters, int Parent1, int Parent2);

/// <summary>A change of identity in a movie.</summary>
public enum TruthEventKind
{
    /// <summary>One mitochondrion divided into two new tracks.</summary>
    Fission = 0,

    /// <summary>Two mitochondria joined end to end into one new track.</summary>
    Fusion = 1,
}

/// <summary>
/// A fission or fusion: the parent tracks exist up to frame <see cref="Frame"/> − 1, the child tracks from
/// <see cref="Frame"/> on.
/// </summary>
/// <param name="Frame">First frame of the children.</param>
/// <param name="Kind">Fission (one parent, two children) or fusion (two parents, one child).</param>
/// <param name="Parents">Track ids that end.</param>
/// <param name="Children">Track ids that start.</param>
public sealed record TruthEvent(int Frame, TruthEventKind Kind, IReadOnlyList<int> Parents, IReadOnlyList<int> Children);

/// <summary>
/// A simulated movie and its ground truth. Images hold one plane per frame (depth = frames), calibrated with
/// the preset's pixel size.
/// </summary>
/// <param name="Movie">Camera counts of the in-focus plane, one plane per frame.</param>
/// <param name="Masks">Physics-based foreground mask (PhySeg Fig. 1f), 1 = foreground, per frame.</param>
/// <param name="Tracks">True track id of each foreground pixel (0 = background), per frame.</param>
/// <param name="Classes">Class of each pixel (<see cref="ObjectClass"/> values), per frame.</param>
/// <param name="TrackPoints">Every object in every frame, by frame then track id.</param>
/// <param name="Events">Fissions and fusions, in frame order.</param>
/// <param name="EmittedPhotons">Expected photons emitted by all fluorophores in each frame's exposure (before optics and camera).</param>
/// <param name="Levels">Camera levels, drawn once for the whole movie so that bleaching shows as a fall in counts.</param>
public sealed record SimulatedMovie(
    Image<ushort> Movie,
    Image<byte> Masks,
    Image<ushort> Tracks,
    Image<byte> Classes,
    IReadOnlyList<TrackPoint> TrackPoints,
    IReadOnlyList<TruthEvent> Events,
    IReadOnlyList<double> EmittedPhotons,
    CameraLevels Levels);
