namespace Synthio.Caching;

/// <summary>Where the shared cache lives: an explicit option, else SYNTHIO_CACHE_DIR, else ~/.synthio/cache.</summary>
public static class CacheLocation
{
    public const string EnvironmentVariable = "SYNTHIO_CACHE_DIR";

    public static string Resolve(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".synthio", "cache");
    }
}
