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
        b.Property(x => x.Version).IsRowVersion();
    }
}
