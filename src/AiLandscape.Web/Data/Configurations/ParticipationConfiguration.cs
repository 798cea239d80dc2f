using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class ParticipationConfiguration : IEntityTypeConfiguration<Participation>
{
    public void Configure(EntityTypeBuilder<Participation> b)
    {
        b.HasOne(x => x.FundingRound).WithMany(r => r.Participations).HasForeignKey(x => x.FundingRoundId)
            .OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Investor).WithMany(i => i.Participations).HasForeignKey(x => x.InvestorId)
            .OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.FundingRoundId, x.InvestorId }).IsUnique();
        b.HasIndex(x => x.InvestorId);
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(x => x.Version).IsRowVersion();
        b.ToTable(t => t.HasCheckConstraint("ck_participations_amount_non_negative", "amount IS NULL OR amount >= 0"));
    }
}
