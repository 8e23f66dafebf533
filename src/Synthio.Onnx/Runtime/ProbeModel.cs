namespace Synthio.Onnx.Runtime;

/// <summary>
/// A one-node ONNX model (float32 [1] → Identity → float32 [1]) written byte by byte, so the product can try a
/// real session on an execution provider without shipping a model file or a protobuf library.
/// </summary>
internal static class ProbeModel
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;

    public static byte[] Bytes { get; } = Build();

    public const string InputName = "x";

    public const string OutputName = "y";

    private static byte[] Build()
    {
        var tensorType = Message(w =>
        {
            w.VarintField(1, 1); // elem_type = FLOAT
            w.MessageField(2, Message(shape => shape.MessageField(1, Message(dim => dim.VarintField(1, 1)))));
        });
        var valueType = Message(w => w.MessageField(1, tensorType));
        var input = Message(w =>
        {
            w.StringField(1, InputName);
            w.MessageField(2, valueType);
        });
        var output = Message(w =>
        {
            w.StringField(1, OutputName);
            w.MessageField(2, valueType);
        });
        var node = Message(w =>
        {
            w.StringField(1, InputName);
            w.StringField(2, OutputName);
            w.StringField(4, "Identity");
        });
        var graph = Message(w =>
        {
            w.MessageField(1, node);
            w.StringField(2, "synthio-probe");
            w.MessageField(11, input);
            w.MessageField(12, output);
        });
        var opset = Message(w =>
        {
            w.StringField(1, string.Empty);
            w.VarintField(2, 13);
        });
        return Message(w =>
        {
            w.VarintField(1, 8); // ir_version
            w.StringField(2, "synthio");
            w.MessageField(7, graph);
            w.MessageField(8, opset);
        });
    }

    private static byte[] Message(Action<ProtoWriter> write)
    {
        var writer = new ProtoWriter();
        write(writer);
        return writer.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void VarintField(int field, ulong value)
        {
            WriteVarint((ulong)(field << 3 | Varint));
            WriteVarint(value);
        }

        public void StringField(int field, string value) => MessageField(field, System.Text.Encoding.UTF8.GetBytes(value));

        public void MessageField(int field, byte[] payload)
        {
            WriteVarint((ulong)(field << 3 | LengthDelimited));
            WriteVarint((ulong)payload.Length);
            _stream.Write(payload);
        }

        public byte[] ToArray() => _stream.ToArray();

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
