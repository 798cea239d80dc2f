using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class AsOfCopyConfiguration : IEntityTypeConfiguration<AsOfCopy>
{
    public void Configure(EntityTypeBuilder<AsOfCopy> b)
    {
        b.ToTable("as_of_copies");
        b.HasKey(x => x.SchemaName);
        b.Property(x => x.SchemaName).HasMaxLength(63);
    }
}
