package dev.ganglion.tensor;

/** Special functions the JDK lacks. */
final class MathUtil {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    private MathUtil() {
    }

    /** Standard normal cumulative distribution Φ(x) = ½(1 + erf(x/√2)). */
    static double normalCdf(double x) {
        return 0.5 * (1.0 + erf(x * SQRT_HALF));
    }

    /** Standard normal density φ(x). */
    static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /**
     * The error function, to about 1e-14 relative error: a series for small |x| and a continued
     * fraction for the complementary function otherwise.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 2.5) {
            // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return 2.0 / Math.sqrt(Math.PI) * sum;
        }
        if (ax > 6) return Math.signum(x);
        // erfc(x) = e^{-x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz)
        double f = ax, c = ax, d = 0, tiny = 1e-300;
        for (int k = 1; k < 200; k++) {
            double a = k * 0.5;
            d = ax + a * d;
            d = d == 0 ? tiny : d;
            c = ax + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.signum(x) * (1 - erfc);
    }
}
