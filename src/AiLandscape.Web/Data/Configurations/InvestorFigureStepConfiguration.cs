using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class InvestorFigureStepConfiguration : IEntityTypeConfiguration<InvestorFigureStep>
{
    public void Configure(EntityTypeBuilder<InvestorFigureStep> b)
    {
        b.HasKey(x => new { x.InvestorId, x.FromOn });
        b.HasOne<Investor>().WithMany().HasForeignKey(x => x.InvestorId).OnDelete(DeleteBehavior.Cascade);
        // The most active investors of a day: walked in the dashboard's order, skipping spans that do not hold the day.
        b.HasIndex(x => new { x.RoundCount, x.LeadCount, x.InvestorId }, "ix_investor_figure_steps_most_active")
            .HasDatabaseName("ix_investor_figure_steps_most_active").IsDescending(true, true, false);
    }
}
