using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class InvestorConfiguration : IEntityTypeConfiguration<Investor>
{
    public void Configure(EntityTypeBuilder<Investor> b)
    {
        b.Property(x => x.Slug).HasMaxLength(100);
        b.HasIndex(x => x.Slug).IsUnique();
        b.Property(x => x.NameEn).HasMaxLength(200);
        b.Property(x => x.NameZh).HasMaxLength(200);
        b.Property(x => x.Country).HasMaxLength(2).IsFixedLength();
        b.Property(x => x.Website).HasMaxLength(500);
        b.Property(x => x.Summary).HasMaxLength(4000);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.SetNull);
        b.Property(x => x.SearchText).ValueGeneratedOnAddOrUpdate();
        b.HasIndex(x => x.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
        // Nearest names first (KNN), for the lower typo similarity of short investor names (TextSearch.Resembling):
        // the GIN index cannot find "at least 0.45", and computing it row by row cost ~40 µs per investor.
        b.HasIndex(x => x.SearchText, "ix_investors_search_text_nearest").HasDatabaseName("ix_investors_search_text_nearest").HasMethod("gist").HasOperators("gist_trgm_ops");
        b.ComplexProperty(x => x.Figures, f =>
        {
            f.Property(x => x.UnitCount).HasColumnName("unit_count");
            f.Property(x => x.CompanyCount).HasColumnName("company_count");
            f.Property(x => x.RoundCount).HasColumnName("round_count");
            f.Property(x => x.LeadCount).HasColumnName("lead_count");
            f.Property(x => x.LatestInvestmentOn).HasColumnName("latest_investment_on");
            f.Property(x => x.LatestInvestmentPrecision).HasColumnName("latest_investment_precision");
        });
        // One index per /investors order with the list's tie-breakers (name, id), in both directions, so a page is an
        // index scan and a LIMIT (InvestorService.ListAsync). Country and latest investment put empty values last in
        // both directions ("country IS NULL" first): those four are expression indexes, in the migration
        // InvestorFigures, as EF cannot model them.
        b.HasIndex(x => new { x.NameEn, x.Id }, "ix_investors_name_en_id").HasDatabaseName("ix_investors_name_en_id");
        b.HasIndex(x => new { x.NameEn, x.Id }, "ix_investors_name_en_desc_id").HasDatabaseName("ix_investors_name_en_desc_id").IsDescending(true, false);
        b.HasIndex(x => new { x.Kind, x.NameEn, x.Id }, "ix_investors_kind_name_en_id").HasDatabaseName("ix_investors_kind_name_en_id");
        b.HasIndex(x => new { x.Kind, x.NameEn, x.Id }, "ix_investors_kind_desc_name_en_id").HasDatabaseName("ix_investors_kind_desc_name_en_id").IsDescending(true, false, false);
        b.Property(x => x.Version).IsRowVersion();
    }
}
