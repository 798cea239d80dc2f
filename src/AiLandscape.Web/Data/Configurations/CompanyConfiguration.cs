using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> b)
    {
        b.Property(x => x.Slug).HasMaxLength(100);
        b.HasIndex(x => x.Slug).IsUnique();
        b.Property(x => x.NameEn).HasMaxLength(200);
        b.Property(x => x.NameZh).HasMaxLength(200);
        b.Property(x => x.Pinyin).HasMaxLength(200);
        b.Property(x => x.HeadquartersCity).HasMaxLength(100);
        b.Property(x => x.Website).HasMaxLength(500);
        b.Property(x => x.ListingVenue).HasMaxLength(50);
        b.Property(x => x.Ticker).HasMaxLength(20);
        b.Property(x => x.Summary).HasMaxLength(4000);
        b.HasIndex(x => x.Sectors).HasMethod("gin");
        b.HasIndex(x => x.Groups).HasMethod("gin");
        b.HasIndex(x => x.Status);
        b.Property(x => x.SearchText).ValueGeneratedOnAddOrUpdate();
        b.HasIndex(x => x.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
        // Nearest names first (KNN) for typos and "did you mean" (TextSearch.Nearest): the GIN index cannot order by distance.
        b.HasIndex(x => x.SearchText, "ix_companies_search_text_nearest").HasDatabaseName("ix_companies_search_text_nearest").HasMethod("gist").HasOperators("gist_trgm_ops");
        // The lists' orders with their tie-breaker (read backwards for descending); the nullable figures' and founding
        // date's orders put nulls last and are expression indexes in migration ListSortIndexes (ADR 0023).
        b.HasIndex(x => new { x.NameEn, x.Id });
        b.HasIndex(x => new { x.HeadquartersCity, x.Id });
        b.HasIndex(x => x.FoundedOn);
        b.ComplexProperty(x => x.Figures, MapFigures);
        b.Property(x => x.Version).IsRowVersion();
    }

    /// <summary>The figures' columns, the same on companies and on their event-time steps.</summary>
    public static void MapFigures(ComplexPropertyBuilder<CompanyFigures> f)
    {
        f.Property(x => x.TotalRaisedUsd).HasColumnName("total_raised_usd").HasPrecision(20, 2);
        f.Property(x => x.TotalRaisedIsFloor).HasColumnName("total_raised_is_floor");
        f.Property(x => x.RoundCount).HasColumnName("round_count");
        f.Property(x => x.UndisclosedRoundCount).HasColumnName("undisclosed_round_count");
        f.Property(x => x.InvestorCount).HasColumnName("investor_count");
        f.Property(x => x.LastRoundOn).HasColumnName("last_round_on");
        f.Property(x => x.LastRoundPrecision).HasColumnName("last_round_precision");
        f.Property(x => x.LatestValuationUsd).HasColumnName("latest_valuation_usd").HasPrecision(20, 2);
        f.Property(x => x.LatestValuationOn).HasColumnName("latest_valuation_on");
        f.Property(x => x.LatestValuationPrecision).HasColumnName("latest_valuation_precision");
        f.Property(x => x.LatestValuationQualifier).HasColumnName("latest_valuation_qualifier");
    }
}
