using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class SeedHistoryConfiguration : IEntityTypeConfiguration<SeedHistory>
{
    public void Configure(EntityTypeBuilder<SeedHistory> b)
    {
        b.ToTable("seed_history");
        b.HasKey(x => x.Dataset);
        b.Property(x => x.Dataset).HasMaxLength(100);
    }
}
