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
        // The sources list and the form's source picker match text anywhere in these (ILIKE '%…%'): trigram indexes
        // let PostgreSQL answer from an index (a bitmap OR over them) instead of reading every source.
        b.HasIndex(x => x.Title, "ix_sources_title_trgm").HasDatabaseName("ix_sources_title_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasIndex(x => x.Publisher, "ix_sources_publisher_trgm").HasDatabaseName("ix_sources_publisher_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasIndex(x => x.OriginalPublisher, "ix_sources_original_publisher_trgm").HasDatabaseName("ix_sources_original_publisher_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasIndex(x => x.Url, "ix_sources_url_trgm").HasDatabaseName("ix_sources_url_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasIndex(x => x.Key, "ix_sources_key_trgm").HasDatabaseName("ix_sources_key_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        // Newest first, then by id: the list's order, so a page is read from the index.
        b.HasIndex(x => new { x.PublishedOn, x.Id }).IsDescending(true, true);
    }
}
