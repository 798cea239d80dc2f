using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class FundingRoundConfiguration : IEntityTypeConfiguration<FundingRound>
{
    public void Configure(EntityTypeBuilder<FundingRound> b)
    {
        b.HasOne(x => x.Company).WithMany(c => c.Rounds).HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CompanyId, x.AnnouncedOn });
        b.HasIndex(x => x.AnnouncedOn);
        b.HasIndex(x => x.Stage);
        // The currency filter, and the filter options' distinct currencies read by skipping through this index.
        b.HasIndex(x => x.Currency);
        // The sort orders of the rounds list have expression indexes (migration RoundUsdAmount, raw SQL).
        b.Property(x => x.LabelAsAnnounced).HasMaxLength(100);
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(x => x.PostMoneyCurrency).HasMaxLength(3).IsFixedLength();
        b.Property(x => x.AmountText).HasMaxLength(200);
        b.Property(x => x.Notes).HasMaxLength(4000);
        b.Property(x => x.Version).IsRowVersion();

        // Last line of defence behind validation: undisclosed is never a number, amounts are never negative.
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_funding_rounds_amounts_non_negative",
                "(amount IS NULL OR amount >= 0) AND (amount_min IS NULL OR amount_min >= 0) AND " +
                "(amount_max IS NULL OR amount_max >= 0) AND (post_money_valuation IS NULL OR post_money_valuation >= 0)");
            t.HasCheckConstraint("ck_funding_rounds_range_ordered",
                "amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max");
            t.HasCheckConstraint("ck_funding_rounds_undisclosed_has_no_amount",
                "disclosure <> 'Undisclosed' OR (amount IS NULL AND amount_min IS NULL AND amount_max IS NULL)");
        });
    }
}
