namespace Synthio.Core.Tests;

/// <summary>The encoded files AudioFiles/make.sh wrote, as the decoding tests read them.</summary>
internal static class AudioFixtures
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "AudioFiles", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Fixture(name));
}
