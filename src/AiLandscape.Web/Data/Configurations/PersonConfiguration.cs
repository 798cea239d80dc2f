using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("people");
        b.Property(x => x.Slug).HasMaxLength(100);
        b.HasIndex(x => x.Slug).IsUnique();
        b.HasIndex(x => new { x.NameEn, x.Id }); // the /people order (read backwards for descending)
        b.Property(x => x.NameEn).HasMaxLength(200);
        b.Property(x => x.NameZh).HasMaxLength(200);
        b.Property(x => x.Pinyin).HasMaxLength(200);
        b.Property(x => x.Bio).HasMaxLength(4000);
        b.Property(x => x.Version).IsRowVersion();
        b.Property(x => x.SearchText).ValueGeneratedOnAddOrUpdate();
        b.HasIndex(x => x.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
        // Nearest names first (KNN) for typos and "did you mean" (TextSearch.Nearest): the GIN index cannot order by distance.
        b.HasIndex(x => x.SearchText, "ix_people_search_text_nearest").HasDatabaseName("ix_people_search_text_nearest").HasMethod("gist").HasOperators("gist_trgm_ops");
    }
}
