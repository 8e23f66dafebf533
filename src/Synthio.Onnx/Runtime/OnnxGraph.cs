using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Synthio.Diagnostics;

namespace Synthio.Onnx.Runtime;

/// <summary>A float32 or int64 tensor handed to or read from a graph: flat data plus its shape.</summary>
internal readonly record struct TensorData(Array Data, long[] Shape)
{
    public static TensorData Float(float[] data, params long[] shape) => new(data, shape);

    public static TensorData Int64(long[] data, params long[] shape) => new(data, shape);
}

/// <summary>
/// One ONNX model opened once for a run: checks the input/output names and types the backend relies on, and
/// runs it with flat arrays. <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is safe to call from several threads.
/// </summary>
internal sealed class OnnxGraph : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public OnnxGraph(OnnxSessionFactory factory, string path, string role)
    {
        Path = path;
        Role = role;
        try
        {
            _session = factory.Open(path);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"The {role} model {System.IO.Path.GetFileName(path)} could not be loaded by ONNX Runtime: {CudaProbe.Reason(exception)}",
                path,
                exception);
        }
    }

    public string Path { get; }

    public string Role { get; }

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Outputs => _session.OutputMetadata;

    public bool HasInput(string name) => _session.InputMetadata.ContainsKey(name);

    /// <summary>Fails with SYN3002 unless the graph has input <paramref name="name"/> of element type <paramref name="type"/>.</summary>
    public NodeMetadata RequireInput(string name, TensorElementType type) => Require(_session.InputMetadata, "input", name, type);

    /// <summary>Fails with SYN3002 unless the graph has output <paramref name="name"/> of element type <paramref name="type"/>.</summary>
    public NodeMetadata RequireOutput(string name, TensorElementType type) => Require(_session.OutputMetadata, "output", name, type);

    /// <summary>Runs the graph and returns one float32 output.</summary>
    public (float[] Data, long[] Shape) Run(IReadOnlyList<(string Name, TensorData Tensor)> inputs, string output)
    {
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var (_, tensor) in inputs)
            {
                values.Add(tensor.Data switch
                {
                    float[] floats => OrtValue.CreateTensorValueFromMemory(floats, tensor.Shape),
                    long[] longs => OrtValue.CreateTensorValueFromMemory(longs, tensor.Shape),
                    _ => throw new ArgumentException("Only float32 and int64 tensors are supported.", nameof(inputs)),
                });
            }

            using var results = _session.Run(_runOptions, inputs.Select(i => i.Name).ToArray(), values, [output]);
            var result = results[0];
            var shape = result.GetTensorTypeAndShape().Shape;
            return (result.GetTensorDataAsSpan<float>().ToArray(), shape);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private NodeMetadata Require(IReadOnlyDictionary<string, NodeMetadata> metadata, string kind, string name, TensorElementType type)
    {
        if (!metadata.TryGetValue(name, out var node))
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"The {Role} model {System.IO.Path.GetFileName(Path)} has no {kind} '{name}' (it has: {string.Join(", ", metadata.Keys)}).",
                Path);
        }

        if (!node.IsTensor || node.ElementDataType != type)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"The {Role} model {System.IO.Path.GetFileName(Path)} {kind} '{name}' is {node.ElementDataType}, expected {type}.",
                Path);
        }

        return node;
    }
}
