using Google.Protobuf;
using Synthio.Onnx.Tests.OnnxFormat;

namespace Synthio.Onnx.Tests.Fixtures;

/// <summary>Writes small real ONNX models (opset 17) with named, typed inputs/outputs and dynamic axes.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "synthio-test" };
    private int _counter;

    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;

    /// <summary>Declares a graph input; each dimension is a number (fixed) or a string (a named dynamic axis).</summary>
    public OnnxGraphBuilder Input(string name, int elementType, params object[] dims)
    {
        _graph.Input.Add(Value(name, elementType, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, int elementType, params object[] dims)
    {
        _graph.Output.Add(Value(name, elementType, dims));
        return this;
    }

    public string Constant(float[] values, params long[] dims)
    {
        var name = $"const_{_counter++}";
        var tensor = new TensorProto { Name = name, DataType = Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string ConstantInt64(long[] values, params long[] dims)
    {
        var name = $"const_{_counter++}";
        var tensor = new TensorProto { Name = name, DataType = Int64, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node; returns its (single) output name, <paramref name="output"/> or a fresh one.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= $"{opType.ToLowerInvariant()}_{_counter++}";
        var node = new NodeProto { OpType = opType, Name = $"n{_counter++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public void Save(string path)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "synthio-tests", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static ValueInfoProto Value(string name, int elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string parameter => new TensorShapeProto.Types.Dimension { DimParam = parameter },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"Bad dimension {dim}"),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }
}
