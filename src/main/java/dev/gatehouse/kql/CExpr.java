// A scalar expression compiled against one input schema: evaluated a batch at a time.
package dev.gatehouse.kql;

import dev.gatehouse.kql.Vec.BoolVec;
import dev.gatehouse.kql.Vec.ConstVec;

import java.util.function.Function;

abstract class CExpr {
    final KqlType type;
    final Pos pos;

    CExpr(KqlType type, Pos pos) {
        this.type = type;
        this.pos = pos;
    }

    abstract Vec eval(Batch b, Ctx ctx);

    boolean isConst() { return false; }

    Object constValue() { throw new IllegalStateException(); }

    /** The boolean result as a {@link BoolVec} (a constant or another vector is expanded). */
    BoolVec evalBool(Batch b, Ctx ctx) {
        Vec v = eval(b, ctx);
        if (v instanceof BoolVec bv) return bv;
        byte[] out = new byte[b.n()];
        for (int i = 0; i < b.n(); i++) out[i] = v.getBool(i);
        return new BoolVec(out, b.n());
    }

    /** A literal, a let-bound scalar, or anything folded from them. */
    static final class Const extends CExpr {
        final Object value;

        Const(KqlType type, Object value, Pos pos) {
            super(type, pos);
            this.value = value;
        }

        @Override Vec eval(Batch b, Ctx ctx) { return new ConstVec(type, value, b.n()); }

        @Override boolean isConst() { return true; }

        @Override Object constValue() { return value; }
    }

    /** A column of the input. */
    static final class Column extends CExpr {
        final int index;
        final String name;

        Column(int index, String name, KqlType type, Pos pos) {
            super(type, pos);
            this.index = index;
            this.name = name;
        }

        @Override Vec eval(Batch b, Ctx ctx) { return b.cols()[index]; }
    }

    /** Row by row over boxed values: the general path for functions and operators without a vector form. */
    static final class RowWise extends CExpr {
        final CExpr[] args;
        final Function<Object[], Object> fn;

        RowWise(KqlType type, CExpr[] args, Function<Object[], Object> fn, Pos pos) {
            super(type, pos);
            this.args = args;
            this.fn = fn;
        }

        @Override Vec eval(Batch b, Ctx ctx) {
            int n = b.n();
            Vec[] vs = new Vec[args.length];
            for (int a = 0; a < args.length; a++) vs[a] = args[a].eval(b, ctx);
            Object[] out = new Object[n];
            Object[] row = new Object[args.length];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < vs.length; a++) row[a] = vs[a].get(i);
                out[i] = fn.apply(row);
                if ((i & 4095) == 4095) ctx.poll();
            }
            return Vec.of(type, out, n);
        }
    }
}
