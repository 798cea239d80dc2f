using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class ModelReleaseConfiguration : IEntityTypeConfiguration<ModelRelease>
{
    public void Configure(EntityTypeBuilder<ModelRelease> b)
    {
        b.HasOne(x => x.Company).WithMany(c => c.Models).HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CompanyId, x.ReleasedOn });
        b.HasIndex(x => x.ReleasedOn);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Licence).HasMaxLength(200);
        b.Property(x => x.Size).HasMaxLength(100);
        b.Property(x => x.Modality).HasMaxLength(100);
        b.Property(x => x.Summary).HasMaxLength(4000);
        b.Property(x => x.Version).IsRowVersion();
        b.Property(x => x.SearchText).ValueGeneratedOnAddOrUpdate();
        b.HasIndex(x => x.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
        // Nearest names first (KNN) for typos and "did you mean" (TextSearch.Nearest): the GIN index cannot order by distance.
        b.HasIndex(x => x.SearchText, "ix_model_releases_search_text_nearest").HasDatabaseName("ix_model_releases_search_text_nearest").HasMethod("gist").HasOperators("gist_trgm_ops");
    }
}
