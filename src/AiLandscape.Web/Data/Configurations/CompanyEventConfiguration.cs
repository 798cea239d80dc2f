using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class CompanyEventConfiguration : IEntityTypeConfiguration<CompanyEvent>
{
    public void Configure(EntityTypeBuilder<CompanyEvent> b)
    {
        b.HasOne(x => x.Company).WithMany(c => c.Events).HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CompanyId, x.OccurredOn });
        b.HasIndex(x => x.Kind);
        b.Property(x => x.Title).HasMaxLength(300);
        b.Property(x => x.Summary).HasMaxLength(4000);
        b.Property(x => x.FocusBefore).HasMaxLength(300);
        b.Property(x => x.FocusAfter).HasMaxLength(300);
        b.Property(x => x.Version).IsRowVersion();
    }
}
