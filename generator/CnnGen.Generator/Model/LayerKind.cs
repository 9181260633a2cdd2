namespace CnnGen.Generator.Model;

/// <summary>
/// The attributes a network is declared with. What each kind is (its attribute, its default name,
/// how it reads and whether it takes a fused epilogue) is described once, in <see cref="LayerKinds"/>;
/// every stage dispatches over this enum exhaustively and throws on a kind it does not handle.
/// </summary>
internal enum LayerKind
{
    Input,
    Conv,
    Relu,
    MaxPool,
    AvgPool,
    FullyConnected,
    Softmax,
    Add,
    Mul,
    Concat,
    Relu6,
    GlobalAvgPool,
    GlobalMaxPool,
    Slice,
    ChannelShuffle,
    Pad,
    Upsample,
    LeakyRelu,
    Clip,
    Sigmoid,
    Tanh,
    HardSigmoid,
    HardSwish,
    Silu,
    Gelu,
    Elu,
    PRelu,
    LogSoftmax,
    Dropout,
    Flatten,
    BatchNorm,
    Normalize,
    ConvTranspose,
}
