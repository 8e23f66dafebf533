using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthio.Caching;

/// <summary>
/// One byte sequence per value: object properties sorted ordinally, no whitespace, invariant numbers.
/// Step keys hash this form, so two descriptions that mean the same thing give the same key.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string Serialize(object? value)
    {
        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, SerializerOptions);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, child);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var child in array)
                {
                    Write(writer, child);
                }

                writer.WriteEndArray();
                break;
            default:
                var value = node.AsValue();
                if (value.TryGetValue<double>(out var d) && !value.TryGetValue<long>(out _))
                {
                    // "R" round-trips doubles; invariant culture keeps '.' everywhere.
                    writer.WriteRawValue(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    value.WriteTo(writer);
                }

                break;
        }
    }
}
