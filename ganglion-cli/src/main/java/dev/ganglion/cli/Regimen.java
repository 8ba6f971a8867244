package dev.ganglion.cli;

import dev.ganglion.nn.Penalty;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Adagrad;
import dev.ganglion.optim.Adam;
import dev.ganglion.optim.AdamW;
import dev.ganglion.optim.GradientClipping;
import dev.ganglion.optim.Lbfgs;
import dev.ganglion.optim.Optimizer;
import dev.ganglion.optim.ParameterGroup;
import dev.ganglion.optim.RmsProp;
import dev.ganglion.optim.Sgd;
import dev.ganglion.optim.schedule.CosineAnnealing;
import dev.ganglion.optim.schedule.ExponentialDecay;
import dev.ganglion.optim.schedule.LearningRateSchedule;
import dev.ganglion.optim.schedule.ReduceOnPlateau;
import dev.ganglion.optim.schedule.StepDecay;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EarlyStopping;
import dev.ganglion.train.Monitor;
import dev.ganglion.train.Trainer;

import java.util.List;
import java.util.Locale;

/**
 * How to train, beyond epochs and batches: the optimiser and its hyperparameters, a learning-rate
 * schedule, gradient clipping, L1/L2 penalties, early stopping and a validation split. Built from
 * the command line and applied to a {@link Trainer}.
 *
 * @param optimizer     sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad or lbfgs
 * @param learningRate  the (initial) learning rate
 * @param weightDecay   weight decay (decoupled for adamw, added to the gradient otherwise); biases
 *                      and other 1-D parameters are not decayed
 * @param momentum      momentum for sgd/rmsprop (null: the optimiser's default)
 * @param schedule      none, step(EPOCHS,GAMMA), exp(GAMMA), cosine, plateau
 * @param warmup        linear warm-up epochs for the cosine schedule
 * @param clipNorm      clip the gradients' global L2 norm to this (null: no clipping)
 * @param clipValue     clip each gradient element to ±this (null: no clipping)
 * @param l1            L1 penalty on the weight matrices (0: none)
 * @param l2            L2 penalty λ/2·Σw² on the weight matrices (0: none)
 * @param earlyStopping patience in epochs (0: off); restores the best epoch's weights
 * @param monitor       what early stopping and the plateau schedule watch (val_loss, val_accuracy, loss)
 * @param valSplit      fraction of the training part held out for validation (0: none)
 */
record Regimen(String optimizer, float learningRate, float weightDecay, Float momentum, String schedule, int warmup,
               Double clipNorm, Double clipValue, float l1, float l2, int earlyStopping, String monitor, double valSplit) {

    static final String OPTIMIZERS = "sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad, lbfgs";

    /** Plain training with {@code optimizer} at {@code learningRate}. */
    static Regimen simple(String optimizer, float learningRate) {
        return new Regimen(optimizer, learningRate, 0f, null, "none", 0, null, null, 0f, 0f, 0, "val_loss", 0);
    }

    /** The default learning rate for an optimiser. */
    static float defaultLearningRate(String optimizer) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd", "gd" -> 0.1f;
            case "lbfgs" -> 1f;
            default -> 0.01f;
        };
    }

    /** Checks the choices before any data is read. */
    void validate(int batchSize) {
        optimizerFor(List.of(Tensor.zeros(1).requiresGrad(true)));
        if (optimizer.equalsIgnoreCase("lbfgs") && batchSize != 0) {
            throw new UserError("--optimizer lbfgs works on the full batch: add --batch 0");
        }
        if (clipNorm != null && !(clipNorm > 0)) throw new UserError("--clip-norm must be > 0, got " + clipNorm);
        if (clipValue != null && !(clipValue > 0)) throw new UserError("--clip-value must be > 0, got " + clipValue);
        if (l1 < 0 || l2 < 0) throw new UserError("--l1 and --l2 must be >= 0");
        if (weightDecay < 0) throw new UserError("--weight-decay must be >= 0, got " + weightDecay);
        if (valSplit < 0 || valSplit >= 1) throw new UserError("--val-split must be in [0, 1), got " + valSplit);
        if (earlyStopping < 0) throw new UserError("--early-stopping must be >= 0 epochs, got " + earlyStopping);
        Monitor m = monitorOrFail();
        if ((earlyStopping > 0 || schedule.startsWith("plateau")) && m.name().startsWith("VALIDATION") && valSplit == 0) {
            throw new UserError("--early-stopping and --schedule plateau watch " + monitor
                    + ", which needs a validation set: add --val-split 0.1 (or --monitor loss)");
        }
    }

    Monitor monitorOrFail() {
        try {
            return Monitor.parse(monitor);
        } catch (IllegalArgumentException e) {
            throw new UserError("--monitor: " + e.getMessage());
        }
    }

    /** The optimiser over {@code params}. */
    Optimizer optimizerFor(List<Tensor> params) {
        List<ParameterGroup> groups = weightDecay > 0 ? ParameterGroup.decayMatricesOnly(params) : ParameterGroup.single(params);
        float lr = learningRate;
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd", "gd" -> new Sgd(groups, lr, momentum == null ? 0f : momentum, false, weightDecay);
            case "momentum" -> new Sgd(groups, lr, momentum == null ? 0.9f : momentum, false, weightDecay);
            case "nesterov" -> new Sgd(groups, lr, momentum == null ? 0.9f : momentum, true, weightDecay);
            case "adam" -> new Adam(groups, lr, 0.9f, 0.999f, 1e-8f, weightDecay);
            case "adamw" -> new AdamW(groups, lr, 0.9f, 0.999f, 1e-8f, weightDecay > 0 ? weightDecay : 0.01f);
            case "rmsprop" -> new RmsProp(groups, lr, 0.99f, 1e-8f, momentum == null ? 0f : momentum, weightDecay);
            case "adagrad" -> new Adagrad(groups, lr, 1e-10f, weightDecay);
            case "lbfgs" -> {
                if (weightDecay > 0) throw new UserError("--optimizer lbfgs has no --weight-decay; use --l2");
                yield new Lbfgs(params, lr, 20, 10, 1e-7f, 1e-9f);
            }
            default -> throw new UserError("unknown optimizer \"" + optimizer + "\"; known: " + OPTIMIZERS);
        };
    }

    /** Adds the schedule, clipping, penalties and early stopping to {@code trainer}. */
    void applyTo(Trainer trainer, Sequential network, int epochs) {
        Optimizer opt = trainer.optimizer();
        LearningRateSchedule s = schedule(opt, epochs);
        if (s != null) {
            if (s instanceof ReduceOnPlateau) trainer.setSchedule(s, monitorOrFail());
            else trainer.setSchedule(s);
        }
        if (clipNorm != null) trainer.setGradientClipping(new GradientClipping.ByNorm(clipNorm));
        if (clipValue != null) trainer.setGradientClipping(new GradientClipping.ByValue(clipValue));
        if (l1 > 0) trainer.addPenalty(new Penalty.L1(l1, Penalty.weightsOf(network)));
        if (l2 > 0) trainer.addPenalty(new Penalty.L2(l2, Penalty.weightsOf(network)));
        if (earlyStopping > 0) trainer.addListener(new EarlyStopping(monitorOrFail(), earlyStopping));
    }

    private LearningRateSchedule schedule(Optimizer opt, int epochs) {
        String text = schedule.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        String name = text.contains("(") ? text.substring(0, text.indexOf('(')) : text;
        String[] args = text.contains("(") && text.endsWith(")")
                ? text.substring(text.indexOf('(') + 1, text.length() - 1).split(",") : new String[0];
        try {
            return switch (name) {
                case "none", "" -> null;
                case "step" -> new StepDecay(opt, args.length > 0 ? Integer.parseInt(args[0]) : Math.max(1, epochs / 3),
                        args.length > 1 ? Double.parseDouble(args[1]) : 0.1);
                case "exp", "exponential" -> new ExponentialDecay(opt, args.length > 0 ? Double.parseDouble(args[0]) : 0.95);
                case "cosine" -> CosineAnnealing.perEpoch(opt, epochs, warmup, args.length > 0 ? Float.parseFloat(args[0]) : 0f);
                case "plateau" -> new ReduceOnPlateau(opt);
                default -> throw new UserError("unknown schedule \"" + schedule
                        + "\"; known: none, step(EPOCHS,GAMMA), exp(GAMMA), cosine, cosine(MIN_LR), plateau");
            };
        } catch (NumberFormatException e) {
            throw new UserError("--schedule " + schedule + ": \"" + String.join(",", args) + "\" are not numbers");
        }
    }

    /** A short description for logs and the saved config. */
    String describe(Optimizer opt) {
        StringBuilder sb = new StringBuilder(opt.describe());
        if (!schedule.equals("none")) sb.append(", schedule ").append(schedule).append(warmup > 0 ? " warm-up " + warmup : "");
        if (clipNorm != null) sb.append(", clip-norm ").append(clipNorm);
        if (clipValue != null) sb.append(", clip-value ").append(clipValue);
        if (l1 > 0) sb.append(", l1 ").append(l1);
        if (l2 > 0) sb.append(", l2 ").append(l2);
        if (earlyStopping > 0) sb.append(", early stopping ").append(earlyStopping).append(" on ").append(monitor);
        return sb.toString();
    }
}
