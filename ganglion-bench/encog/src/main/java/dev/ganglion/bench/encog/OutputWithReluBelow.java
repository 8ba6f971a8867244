package dev.ganglion.bench.encog;

import org.encog.engine.network.activation.ActivationFunction;
import org.encog.engine.network.activation.ActivationReLU;

/**
 * A workaround for Encog 3.4's bug #243 (jeffheaton/encog-java-core, fixed after the 3.4 release):
 * {@code GradientWorker.processLevel} multiplies the deltas of a layer by the derivative of the
 * activation of the layer <em>above</em> it. For the last hidden layer that is the output layer's
 * activation (sigmoid or softmax) instead of ReLU, which trains a different network.
 *
 * <p>This output activation computes the sigmoid / softmax itself (delegated) but answers
 * {@link #derivativeFunction} with ReLU's derivative. The output layer's own derivative is never used
 * here: the cross-entropy error function returns y − p without it. So with this activation Encog
 * computes the correct gradients, at the same cost.
 */
final class OutputWithReluBelow implements ActivationFunction {
    private static final long serialVersionUID = 1L;
    private final ActivationFunction output;
    private final ActivationReLU below = new ActivationReLU();

    OutputWithReluBelow(ActivationFunction output) {
        this.output = output;
    }

    @Override
    public void activationFunction(double[] d, int start, int size) {
        output.activationFunction(d, start, size);
    }

    @Override
    public double derivativeFunction(double b, double a) {
        return below.derivativeFunction(b, a);
    }

    @Override
    public boolean hasDerivative() {
        return true;
    }

    @Override
    public double[] getParams() {
        return output.getParams();
    }

    @Override
    public void setParam(int index, double value) {
        output.setParam(index, value);
    }

    @Override
    public String[] getParamNames() {
        return output.getParamNames();
    }

    @Override
    public ActivationFunction clone() {
        return new OutputWithReluBelow(output.clone());
    }

    @Override
    public String getFactoryCode() {
        return output.getFactoryCode();
    }

    @Override
    public String getLabel() {
        return output.getLabel();
    }
}
