using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class ValuationPointConfiguration : IEntityTypeConfiguration<ValuationPoint>
{
    public void Configure(EntityTypeBuilder<ValuationPoint> b)
    {
        b.HasOne(x => x.Company).WithMany(c => c.Valuations).HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.FundingRound).WithMany().HasForeignKey(x => x.FundingRoundId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.CompanyId, x.ValuedOn });
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(x => x.Notes).HasMaxLength(4000);
        b.Property(x => x.Version).IsRowVersion();
        b.ToTable(t => t.HasCheckConstraint("ck_valuation_points_amount_non_negative", "amount >= 0"));
    }
}
