using SimSeg.Core.Geometry;
using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Simulation;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Presets;

namespace SimSeg.Shapes.Rendering;

/// <summary>One rendered view of a library shape.</summary>
/// <param name="Field">The camera image (one plane per z slice) and its 2D physics ground truth.</param>
/// <param name="Occupancy">3D ground truth: 1 where the pixel centre at each slice's focal depth is inside the shape.</param>
public sealed record ShapeView(SimulatedField Field, Image<byte> Occupancy);

/// <summary>
/// Images a mesh through a preset's microscope (3DMSL rendering): the mesh is rotated about its centroid,
/// placed with the centroid at the middle of the field and on the focal plane, labelled on its surface at the
/// preset's density, and rendered as a focal-plane image or z-stack with the preset's camera; the physics
/// ground truth comes with it, and a 3D occupancy ground truth sampled at the pixel centres of each slice.
/// </summary>
public sealed class ShapeRenderer
{
    private readonly FieldSimulator _simulator;

    /// <summary>Prepares the optics of <paramref name="preset"/> (its z-stack settings apply).</summary>
    public ShapeRenderer(Preset preset) => _simulator = new FieldSimulator(preset);

    /// <summary>The preset in use.</summary>
    public Preset Preset => _simulator.Preset;

    /// <summary>
    /// Renders <paramref name="mesh"/> (nm, closed) under <paramref name="rotation"/> in a
    /// <paramref name="size"/> × <paramref name="size"/> pixel field.
    /// </summary>
    /// <exception cref="ArgumentException">The mesh is not closed and consistently oriented.</exception>
    public ShapeView Render(TriangleMesh mesh, Mat3 rotation, int size, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(size);
        var microscope = Preset.Microscope;
        double pixel = microscope.PixelSizeNm;
        var centred = mesh.Transformed(Mat3.Identity, -mesh.Centroid);
        var centre = new Vec3(size * pixel / 2, size * pixel / 2, microscope.FocalPlaneZNm);
        var shape = new MeshShape(centred, rotation, centre);
        var parameters = new Dictionary<string, double>
        {
            ["centerXNm"] = centre.X,
            ["centerYNm"] = centre.Y,
            ["centerZNm"] = centre.Z,
        };
        var scene = new Scene(size * pixel, size * pixel, [new SceneObject(1, ObjectClass.Mitochondrion, shape, parameters, "mesh")]);
        var field = _simulator.Simulate(scene, size, size, rng);
        return new ShapeView(field, Occupancy(shape, size, pixel));
    }

    /// <summary>Inside/outside of the pixel centres of every z slice (slices at the preset's focal depths).</summary>
    private Image<byte> Occupancy(IShape shape, int size, double pixel)
    {
        var microscope = Preset.Microscope;
        int planes = microscope.ZSlices;
        var occupancy = new Image<byte>(size, size, planes, Calibration.Square(pixel, planes > 1 ? microscope.ZStepNm : 0));
        // Only pixels inside the shape's bounding box can be occupied.
        int x0 = Math.Max(0, (int)Math.Floor(shape.BoundsMin.X / pixel)), x1 = Math.Min(size - 1, (int)Math.Ceiling(shape.BoundsMax.X / pixel));
        int y0 = Math.Max(0, (int)Math.Floor(shape.BoundsMin.Y / pixel)), y1 = Math.Min(size - 1, (int)Math.Ceiling(shape.BoundsMax.Y / pixel));
        for (int z = 0; z < planes; z++)
        {
            double depth = microscope.SliceFocusNm(z);
            if (depth < shape.BoundsMin.Z || depth > shape.BoundsMax.Z) continue;
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                    if (shape.Contains(new Vec3((x + 0.5) * pixel, (y + 0.5) * pixel, depth))) occupancy[x, y, z] = 1;
        }
        return occupancy;
    }
}
