namespace SimSeg.Simulation.Geometry;

/// <summary>One object of a scene.</summary>
/// <param name="Id">1-based id, the object's value in instance label images and in <c>EmitterSet.ObjectId</c>.</param>
/// <param name="Class">What the object is.</param>
/// <param name="Shape">Its body in the sample frame (nm).</param>
/// <param name="Parameters">
/// The drawn parameters for the JSON sidecar, in nm or radians: e.g. diameterNm, radiusNm, lengthNm, zStartNm,
/// zEndNm, centerXNm, centerYNm, centerZNm, orientationRad, controlPointCount, branchCount, curlRadiusNm, scale.
/// </param>
/// <param name="Kind">"tube", "branched", "curled", "sphere" or "mesh".</param>
public sealed record SceneObject(int Id, ObjectClass Class, IShape Shape, IReadOnlyDictionary<string, double> Parameters, string Kind);

/// <summary>A simulated field of view: its size (nm) and the objects in it, ids 1..N in order.</summary>
/// <param name="FieldWidthNm">Field width (nm), along x / image columns.</param>
/// <param name="FieldHeightNm">Field height (nm), along y / image rows.</param>
/// <param name="Objects">The objects; <c>Objects[i].Id == i + 1</c>.</param>
public sealed record Scene(double FieldWidthNm, double FieldHeightNm, IReadOnlyList<SceneObject> Objects);
