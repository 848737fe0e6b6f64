namespace SimSeg.Simulation.Geometry;

/// <summary>A shape whose body is a <see cref="CapsuleNetwork"/> (tubes), for labelling by thinning.</summary>
internal interface ICapsuleBody
{
    /// <summary>The union of capsules.</summary>
    CapsuleNetwork Body { get; }
}
