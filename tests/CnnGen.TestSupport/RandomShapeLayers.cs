using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.TestSupport;

/// <summary>
/// The shape and channel kinds in the random networks: chains draw a global pool, a slice, a channel shuffle, a pad
/// or an upsampling (nearest or bilinear, corners aligned or not), each spelled one of the ways the attributes allow;
/// graphs draw ShuffleNet units (split, transform, concatenate, shuffle), U-Net steps (pool, conv, upsample, a pad
/// when the size is odd, merge with the skip), pad-then-valid-conv residuals and global-pool gates.
/// </summary>
public static partial class RandomNetworks
{
    /// <summary>One of the shape and channel layers that fits <paramref name="input"/>.</summary>
    private static RefLayer RandomShapeLayer(Random random, RefShape input)
    {
        switch (random.Next(6))
        {
            case 0:
                return new RefGlobalPool(random.Next(2) == 0);
            case 1:
            {
                int start = random.Next(input.Depth);
                int count = random.Next(1, input.Depth - start + 1);
                var slice = new RefSlice(start, count);
                return random.Next(3) == 0 ? slice with { Attribute = $"[Slice(count: {I(count)}, start: {I(start)})]" } : slice;
            }
            case 2:
            {
                int[] divisors = Enumerable.Range(1, input.Depth).Where(d => input.Depth % d == 0).ToArray();
                return new RefChannelShuffle(divisors[random.Next(divisors.Length)]);
            }
            case 3:
            {
                int l = random.Next(0, 3), t = random.Next(0, 3), r = random.Next(0, 3);
                if (random.Next(2) == 0)
                {
                    return new RefPad(l + 1, l + 1, l + 1, l + 1);
                }
                if (l + t + r == 0)
                {
                    l = 1; // a pad of nothing is a warning
                }
                // The positional padding, overridden on some sides.
                return new RefPad(l, t, r, l) { Attribute = $"[Pad({I(l)}, PadTop = {I(t)}, PadRight = {I(r)})]" };
            }
            default:
            {
                int sx = random.Next(1, 4), sy = random.Next(1, 4);
                bool bilinear = random.Next(2) == 0;
                return new RefUpsample(sx, sy) { Bilinear = bilinear, AlignCorners = bilinear && random.Next(2) == 0 };
            }
        }
    }

    /// <summary>The graph blocks of the shape and channel kinds, for <see cref="GraphBuilder"/>.</summary>
    private sealed partial class GraphBuilder
    {
        /// <summary>A ShuffleNet V2 unit: split the channels, 1×1 conv and 3×3 conv on one half, concatenate with the other, shuffle.</summary>
        private bool ShuffleBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            if (s.Depth < 2)
            {
                return false;
            }
            int half = s.Depth / 2;
            int left = Emit(new RefSlice(0, half), x);
            Emit(new RefSlice(half, s.Depth - half), x);
            Emit(new RefConv(1, 1, s.Depth - half), Main);
            MaybeRelu(70);
            Emit(SameConv(3, 3, s.Depth - half), Main);
            MergeInto(new List<int> { left }, new List<int> { Main }, names => new RefConcat(names));
            int[] groups = Enumerable.Range(2, s.Depth - 1).Where(g => s.Depth % g == 0).ToArray();
            if (groups.Length > 0)
            {
                Emit(new RefChannelShuffle(groups[random.Next(groups.Length)]), Main);
            }
            return true;
        }

        /// <summary>A U-Net step: max pool, conv, upsample by 2 (nearest or bilinear), zero pad back to the size when it was odd, then Add or Concat with the skip.</summary>
        private bool UpBlock()
        {
            int skip = Main;
            RefShape s = Shape(skip);
            if (s.Width < 2 || s.Height < 2)
            {
                return false;
            }
            Emit(new RefPool(true, 2, 2, 2, 2), skip);
            bool add = s.Depth >= MaxGraphDepth || random.Next(2) == 0;
            Emit(SameConv(3, 3, add ? s.Depth : Filters(MaxGraphDepth - s.Depth)), Main);
            MaybeRelu(50);
            bool bilinear = random.Next(2) == 0;
            Emit(new RefUpsample(2, 2) { Bilinear = bilinear, AlignCorners = bilinear && random.Next(2) == 0 }, Main);
            if (s.Width % 2 == 1 || s.Height % 2 == 1)
            {
                Emit(new RefPad(0, 0, s.Width % 2, s.Height % 2), Main);
            }
            Func<string[], RefMerge> merge = add ? names => new RefAdd(names) : names => new RefConcat(names);
            MergeInto(new List<int> { Main }, new List<int> { skip }, merge);
            return true;
        }

        /// <summary>An explicit zero pad, a conv without padding that restores the size, and Add with the block's input.</summary>
        private bool PadConvBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            int k = random.Next(2) == 0 ? 3 : 5;
            if (s.Width + k > 25 || s.Height + k > 25)
            {
                return false; // the padded map stays within 24×24
            }
            Emit(new RefPad(k / 2, k / 2, k / 2, k / 2), x);
            Emit(new RefConv(k, k, s.Depth), Main);
            MergeInto(new List<int> { Main }, new List<int> { x }, names => new RefAdd(names));
            MaybeRelu(50);
            return true;
        }

        /// <summary>A squeeze-excite gate of 1×1 convolutions on a global average (or max), a Relu6 gate, and Mul with the block's input.</summary>
        private bool GlobalGateBlock()
        {
            int x = Main;
            RefShape s = Shape(x);
            if (s.Depth < 2 || s.Width * s.Height < 2)
            {
                return false;
            }
            Emit(new RefGlobalPool(random.Next(3) == 0), x);
            Emit(new RefConv(1, 1, Math.Max(1, s.Depth / 2)), Main);
            Emit(new RefRelu(), Main);
            Emit(new RefConv(1, 1, s.Depth), Main);
            Emit(new RefRelu6(), Main);
            MergeInto(new List<int> { x }, new List<int> { Main }, names => new RefMul(names));
            return true;
        }
    }
}
