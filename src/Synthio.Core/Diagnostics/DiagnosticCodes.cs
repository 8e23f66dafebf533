namespace Synthio.Diagnostics;

/// <summary>
/// Every SYN code the product emits, one per cause. Each is documented in docs/diagnostics.md;
/// a test checks that the two lists agree.
/// </summary>
public static class DiagnosticCodes
{
    // 1xxx: dataset and input files
    public const string DatasetNotFound = "SYN1001";
    public const string EmptyLabel = "SYN1002";
    public const string UnreadableAudio = "SYN1003";
    public const string NotAudioFile = "SYN1004";
    public const string EmptyDataset = "SYN1005";
    public const string BadCsvRow = "SYN1006";
    public const string PathOutsideDataset = "SYN1007";
    public const string AudioTooLong = "SYN1008";
    public const string EmptyAudio = "SYN1009";
    public const string TooFewLabels = "SYN1010";
    public const string BadGroupPattern = "SYN1011";
    public const string GroupPatternMatchedNothing = "SYN1012";
    public const string SilentAudio = "SYN1013";
    public const string DuplicateDatasetName = "SYN1014"; // raised by the MSBuild targets, before the tool runs
    public const string LongClips = "SYN1015";

    // 2xxx: language stage
    public const string OllamaUnreachable = "SYN2001";
    public const string OllamaModelMissing = "SYN2002";
    public const string LanguageModelBadReply = "SYN2003";
    public const string LanguageModelFallback = "SYN2004";
    public const string LanguageModelTimeout = "SYN2005";
    public const string OllamaServerError = "SYN2006";

    // 3xxx: generation and filtering
    public const string LabelTargetMissed = "SYN3001";
    public const string ModelBundleInvalid = "SYN3002";
    public const string DeviceFallback = "SYN3003";
    public const string DeviceUnavailable = "SYN3004";
    public const string OnnxBackendsMissing = "SYN3005";
    public const string OnnxInstallFailed = "SYN3006";

    // 4xxx: cache
    public const string CorruptCacheEntry = "SYN4001";
    public const string CacheUnavailable = "SYN4002";

    // 5xxx: training and evaluation
    public const string TrainerFailed = "SYN5001";
    public const string NoHoldout = "SYN5002";
    public const string ModelNotFound = "SYN5003";
    public const string FeatureMismatch = "SYN5004";
    public const string ModelInvalid = "SYN5005";
    public const string BadSplit = "SYN5006";
    public const string AugmentationFailed = "SYN5007";
    public const string ModelNeedsEmbedder = "SYN5008";

    // 6xxx: the automatic augmentation policy
    public const string PolicyTooFewClips = "SYN6001";
    public const string PolicyBudgetExhausted = "SYN6002";

    // 9xxx: usage and internal
    public const string BadOption = "SYN9001";
    public const string ToolNotFound = "SYN9002";
    public const string Cancelled = "SYN9003";
    public const string Internal = "SYN9999";
}
