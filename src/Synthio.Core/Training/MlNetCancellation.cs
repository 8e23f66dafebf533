using System.Reflection;
using Microsoft.ML;

namespace Synthio.Training;

/// <summary>
/// Stops a running ML.NET fit. MLContext has a cancellation method (trainers check it between
/// iterations; ML.NET's own experimental package exposes it) but keeps it internal, so it is reached by
/// reflection; if a future ML.NET drops it, fits run to their end and the budget is enforced between folds.
/// </summary>
internal static class MlNetCancellation
{
    private static readonly MethodInfo? CancelMethod = typeof(MLContext).GetMethod(
        "CancelExecution", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);

    public static bool IsSupported => CancelMethod is not null;

    /// <summary>Signals <paramref name="context"/> to stop; every later operation on it throws.</summary>
    public static void Cancel(MLContext context)
    {
        try
        {
            CancelMethod?.Invoke(context, null);
        }
        catch (TargetInvocationException)
        {
            // Cancelling is best effort: the fold boundary check still stops the trial.
        }
    }
}
