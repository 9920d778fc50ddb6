using SupplyChainMesh.Policy.Templates;

namespace SupplyChainMesh.Policy.Tests.Templates;

public class TagTemplateTests
{
    // Expected values are Python's datetime.strftime on the same instants (C locale).
    private static readonly DateTimeOffset Sunday = new DateTimeOffset(2026, 11, 29, 20, 5, 9, TimeSpan.Zero).AddTicks(1_234_560);

    [Theory]
    [InlineData("%A", "Sunday")]
    [InlineData("%a", "Sun")]
    [InlineData("%w", "0")]
    [InlineData("%d", "29")]
    [InlineData("%B", "November")]
    [InlineData("%b", "Nov")]
    [InlineData("%m", "11")]
    [InlineData("%Y", "2026")]
    [InlineData("%y", "26")]
    [InlineData("%H", "20")]
    [InlineData("%I", "08")]
    [InlineData("%p", "PM")]
    [InlineData("%M", "05")]
    [InlineData("%S", "09")]
    [InlineData("%f", "123456")]
    [InlineData("%Z", "UTC")]
    [InlineData("%j", "333")]
    [InlineData("%W", "47")]
    [InlineData("%n", "1.4.2")]
    public void Every_field_renders_like_strftime(string template, string expected)
    {
        Assert.Equal(expected, TagTemplate.Parse(template).Render("1.4.2", Sunday));
    }

    [Theory]
    [InlineData(2024, 1, 1, 0, 0, 0, 0, "Monday|Mon|1|01|January|Jan|01|2024|24|00|12|AM|00|00|000000|001|01")]
    [InlineData(2023, 1, 1, 12, 0, 0, 0, "Sunday|Sun|0|01|January|Jan|01|2023|23|12|12|PM|00|00|000000|001|00")]
    [InlineData(2026, 3, 7, 9, 30, 0, 1, "Saturday|Sat|6|07|March|Mar|03|2026|26|09|09|AM|30|00|000001|066|09")]
    [InlineData(2020, 12, 31, 23, 59, 59, 999999, "Thursday|Thu|4|31|December|Dec|12|2020|20|23|11|PM|59|59|999999|366|52")]
    public void Edge_dates_match_strftime(int y, int mo, int d, int h, int mi, int s, int micro, string expected)
    {
        var at = new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).AddTicks(micro * 10L);
        var rendered = TagTemplate.Parse("%A.%a.%w.%d.%B.%b.%m.%Y.%y.%H.%I.%p.%M.%S.%f.%j.%W").Render(null, at);
        Assert.Equal(expected.Replace('|', '.'), rendered);
    }

    [Fact]
    public void Times_render_in_utc_whatever_the_offset()
    {
        var tokyo = new DateTimeOffset(2026, 11, 30, 5, 5, 9, TimeSpan.FromHours(9));
        Assert.Equal("1.4.2-20261129T2005Z", TagTemplate.Parse("%n-%Y%m%dT%H%MZ").Render("1.4.2", tokyo));
    }

    [Fact]
    public void A_dtr_style_template_combines_literals_and_fields()
    {
        Assert.Equal("prod-1.4.2-2026-11-29", TagTemplate.Parse("prod-%n-%Y-%m-%d").Render("1.4.2", Sunday));
    }

    [Fact]
    public void An_unknown_field_is_an_error_naming_it()
    {
        Assert.False(TagTemplate.TryParse("%n-%Q", out _, out var errors));
        Assert.Contains("'%Q'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Percent_percent_is_recognised_as_a_literal_percent_which_a_tag_cannot_hold()
    {
        Assert.False(TagTemplate.TryParse("%n%%", out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Contains("literal '%'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%")]
    [InlineData("v/%n")]
    [InlineData("v:%n")]
    [InlineData("-%n")]
    public void Templates_that_cannot_render_a_tag_are_rejected(string text)
    {
        Assert.False(TagTemplate.TryParse(text, out _, out var errors));
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Source_tag_is_needed_only_when_the_template_uses_it()
    {
        Assert.Throws<InvalidOperationException>(() => TagTemplate.Parse("%n").Render(null, Sunday));
        Assert.Equal("nightly-333", TagTemplate.Parse("nightly-%j").Render(null, Sunday));
    }

    [Fact]
    public void A_rendered_tag_longer_than_128_characters_is_refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TagTemplate.Parse("%n-%A-%B").Render(new string('x', 120), Sunday));
        Assert.Contains("128", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Week_number_counts_days_before_the_first_monday_as_week_zero()
    {
        // 2029-01-01 is a Monday: week 1 starts that day; 2028-01-01 a Saturday: week 0.
        Assert.Equal(1, TagTemplate.MondayWeekOfYear(new DateTime(2029, 1, 1)));
        Assert.Equal(0, TagTemplate.MondayWeekOfYear(new DateTime(2028, 1, 2)));
        Assert.Equal(1, TagTemplate.MondayWeekOfYear(new DateTime(2028, 1, 3)));
    }
}
