namespace Registry.Storage.Bench.Tests;

public class StatisticsTests
{
    [Test]
    public void Median_of_odd_even_and_no_values()
    {
        Statistics.Median([3, 1, 2]).ShouldBe(2);
        Statistics.Median([4, 1, 3, 2]).ShouldBe(2.5);
        Statistics.Median([7]).ShouldBe(7);
        double.IsNaN(Statistics.Median([])).ShouldBeTrue();
    }

    [TestCase(1234.6, "1235")]
    [TestCase(100, "100")]
    [TestCase(99.994, "99.99")]
    [TestCase(1, "1.00")]
    [TestCase(0.9996, "1.000")]
    [TestCase(0.0042, "0.004")]
    [TestCase(double.NaN, "—")]
    public void Format_keeps_about_three_significant_figures(double value, string expected) =>
        Statistics.Format(value).ShouldBe(expected);

    [Test]
    public void Spread_is_min_to_max_and_empty_for_one_value()
    {
        Statistics.Spread([918, 909, 1121]).ShouldBe(" (909–1121)");
        Statistics.Spread([0.5, 2]).ShouldBe(" (0.500–2.00)");
        Statistics.Spread([13.56]).ShouldBe("");
        Statistics.Spread([]).ShouldBe("");
    }

    [Test]
    public void Ratio_above_one_means_ours_is_better_for_rates_and_for_times()
    {
        Statistics.Ratio([200], [100], higherIsBetter: true).ShouldBe(2);
        Statistics.Ratio([0.5], [1.0], higherIsBetter: false).ShouldBe(2);
        Statistics.Ratio([50], [100], higherIsBetter: true).ShouldBe(0.5);
        Statistics.Ratio([1, 2, 3], [4, 4], higherIsBetter: false).ShouldBe(2);
    }

    [Test]
    public void Ratio_is_NaN_without_both_sides_or_with_a_median_not_positive()
    {
        double.IsNaN(Statistics.Ratio([1], [], true)).ShouldBeTrue();
        double.IsNaN(Statistics.Ratio([], [1], true)).ShouldBeTrue();
        double.IsNaN(Statistics.Ratio([0], [1], false)).ShouldBeTrue();
        double.IsNaN(Statistics.Ratio([1], [0], true)).ShouldBeTrue();
    }
}
