package io.adaspark.golden;

/**
 * The 2-D Rosenbrock function {@code f(x, y) = (1 − x)² + 100·(y − x²)²}, theta = [x, y]:
 * gradient {@code [−2(1 − x) − 400·x·(y − x²), 200·(y − x²)]}. No data.
 */
public final class RosenbrockProblem implements GoldenProblem {
  @Override
  public int numParams() {
    return 2;
  }

  @Override
  public double lossAndGradient(double[] theta, int[] batch, double[] grad) {
    double x = theta[0];
    double y = theta[1];
    double r = y - x * x;
    grad[0] = -2 * (1 - x) - 400 * x * r;
    grad[1] = 200 * r;
    return (1 - x) * (1 - x) + 100 * r * r;
  }
}
