using Synthio.Training;

namespace Synthio.Core.Tests;

public class TrainerSearchLocalSearchTests
{
    private static readonly HyperParameter[] Space =
    {
        new("Trees", 4, 1000, 20, LogScale: true, IsInteger: true),
        new("Rate", 0.001, 1, 0.1, LogScale: true, IsInteger: false),
    };

    [Fact]
    public void Starts_at_the_cheap_initial_point()
    {
        var search = new CostFrugalLocalSearch(Space, seed: 1);
        var first = search.Propose();
        Assert.Equal(20, first["Trees"]);
        Assert.Equal(0.1, first["Rate"], 6);
    }

    [Fact]
    public void Step_grows_on_success_and_shrinks_after_two_d_failed_probes()
    {
        var search = new CostFrugalLocalSearch(Space, seed: 2);
        search.Propose();
        search.Tell(0.5);
        var initial = search.Step;

        search.Propose();
        search.Tell(0.4); // better: move and grow
        Assert.Equal(initial * 1.5, search.Step, 10);

        // A failed probe is a direction and its opposite both worse; 2·d = 4 of them halve the step.
        for (var probe = 0; probe < 4; probe++)
        {
            Assert.Equal(initial * 1.5, search.Step, 10);
            search.Propose();
            search.Tell(0.9);
            search.Propose();
            search.Tell(0.9);
        }

        Assert.Equal(initial * 0.75, search.Step, 10);
    }

    [Fact]
    public void Opposite_direction_is_probed_after_a_failure()
    {
        var search = new CostFrugalLocalSearch(Space, seed: 3);
        var start = search.Propose();
        search.Tell(0.5);
        var forward = search.Propose();
        search.Tell(0.9);
        var backward = search.Propose();
        // In log space the two probes sit on opposite sides of the start (unless clipped at a bound).
        var forwardSide = Math.Sign(Math.Log(forward["Rate"]) - Math.Log(start["Rate"]));
        var backwardSide = Math.Sign(Math.Log(backward["Rate"]) - Math.Log(start["Rate"]));
        Assert.Equal(-forwardSide, backwardSide);
    }

    [Fact]
    public void Restarts_when_the_step_becomes_tiny()
    {
        var search = new CostFrugalLocalSearch(Space, seed: 4);
        search.Propose();
        search.Tell(0.1);
        var guard = 0;
        while (search.Restarts == 0 && guard++ < 10_000)
        {
            search.Propose();
            search.Tell(1.0);
        }

        Assert.Equal(1, search.Restarts);
        Assert.Equal(0.1 * Math.Sqrt(2), search.Step, 10);
        // After a restart the next proposal is a new start point, accepted as the incumbent whatever its loss.
        var restart = search.Propose();
        Assert.InRange(restart["Trees"], 4, 1000);
        search.Tell(0.7);
        search.Propose();
        search.Tell(0.6);
        Assert.Equal(0.1 * Math.Sqrt(2) * 1.5, search.Step, 10);
    }
}
