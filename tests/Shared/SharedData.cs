namespace SimSeg.TestSupport;

/// <summary>Finds the project's shared real-data folder (shared/data) if it is present on this machine.</summary>
internal static class SharedData
{
    /// <summary>
    /// The full path of <paramref name="relative"/> under shared/data, found by walking up from the test assembly to a
    /// folder holding shared/data/urocell (or, from the repository root, ../shared); null when absent.
    /// </summary>
    public static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared") })
            {
                if (!Directory.Exists(Path.Combine(candidate, "data", "urocell"))) continue;
                string path = Path.Combine(candidate, "data", relative);
                return File.Exists(path) ? Path.GetFullPath(path) : null;
            }
        }
        return null;
    }
}
