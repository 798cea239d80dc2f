using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> b)
    {
        b.Property(x => x.Key).HasMaxLength(32);
        b.HasIndex(x => x.Key).IsUnique();
        b.Property(x => x.Url).HasMaxLength(2000);
        b.HasIndex(x => x.Url);
        b.Property(x => x.Title).HasMaxLength(500);
        b.Property(x => x.Publisher).HasMaxLength(200);
        b.Property(x => x.OriginalPublisher).HasMaxLength(200);
        b.Property(x => x.Language).HasMaxLength(16);
        b.Property(x => x.Notes).HasMaxLength(4000);
        b.Property(x => x.Version).IsRowVersion();
    }
}
